"""The simulated LLM latency's jitter for request `seq` (contracts/target-app.ts llmJitterFraction).

lowbias32 (Chris Wellons) of the sequence number, as a fraction in [-1, 1): request n of
every slot waits the same time in every topology, round and runtime. Bit for bit the
TypeScript function: 32-bit wrap-around multiplication (Math.imul) is `* c & 0xFFFFFFFF`.
"""

_MASK = 0xFFFFFFFF


def llm_jitter_fraction(seq: int) -> float:
    x = seq & _MASK
    x ^= x >> 16
    x = (x * 0x7FEB352D) & _MASK
    x ^= x >> 15
    x = (x * 0x846CA68B) & _MASK
    x ^= x >> 16
    return (x / 4294967296) * 2 - 1
