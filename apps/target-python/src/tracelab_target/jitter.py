"""The simulated LLM latency's jitter for request `seq` (contracts/target-app.ts llmJitterFraction).

lowbias32 (Chris Wellons) of the sequence number, as a fraction in [-1, 1): request n of
every slot waits the same time in every topology, round and runtime. Bit for bit the
TypeScript function: 32-bit wrap-around multiplication (Math.imul) is `* c & 0xFFFFFFFF`.
"""

_MASK = 0xFFFFFFFF


def llm_jitter_fraction(seq: int) -> float:
    # The golden-ratio offset keeps request 0 off the hash's fixed point (0 → 0 → −1).
    x = (seq + 0x9E3779B9) & _MASK
    x ^= x >> 16
    x = (x * 0x7FEB352D) & _MASK
    x ^= x >> 15
    x = (x * 0x846CA68B) & _MASK
    x ^= x >> 16
    return (x / 4294967296) * 2 - 1
