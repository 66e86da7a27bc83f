"""tracelab's Python target app: FastAPI on uvicorn, traced with the Langfuse Python SDK.

The same service as apps/target-node (same env contract, HTTP surface, workflow and span
tree), so a latency difference between topologies is the tracing's, and a difference between
runtimes is the runtime's.
"""
