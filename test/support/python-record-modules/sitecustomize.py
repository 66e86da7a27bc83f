# Put on PYTHONPATH of a Python process under test: records every module in sys.modules when
# the process exits normally (the app does, after SIGTERM) into $RECORD_MODULES_FILE. The
# Python counterpart of record-modules.mjs.
import atexit
import os
import sys


def _record() -> None:
    with open(os.environ["RECORD_MODULES_FILE"], "w") as out:
        out.write("\n".join(sorted(sys.modules)))


atexit.register(_record)
