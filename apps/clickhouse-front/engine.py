"""The ClickHouse engine (chDB, in-process) behind the HTTP front: one session on a data
directory, queries run one at a time, per-query settings applied as session settings.

Why one at a time: a chDB session is one connection; ClickHouse's HTTP interface runs each
request in its own session, so the front serializes instead of pretending to be concurrent.
"""

import re
import threading
import time

from chdb import session as chdb_session

# URL parameters of ClickHouse's HTTP interface that are not settings.
NOT_SETTINGS = {
    "query", "database", "default_format", "query_id", "session_id", "session_timeout",
    "session_check", "user", "password", "quota_key", "compress", "decompress",
    "enable_http_compression", "buffer_size", "wait_end_of_query", "http_response_buffer_size",
    "client_protocol_version", "role",
}
# Settings the front applies by doing the same thing synchronously: an insert returns once
# written, which is what Langfuse asks for with wait_for_async_insert=1.
IGNORED_SETTINGS = {"async_insert", "wait_for_async_insert", "async_insert_max_data_size",
                    "async_insert_busy_timeout_ms", "async_insert_busy_timeout_min_ms",
                    "async_insert_busy_timeout_max_ms"}

ERROR_NAME = re.compile(r"\(([A-Z][A-Z0-9_]+)\)")
ERROR_CODE = re.compile(r"Code: (\d+)")
FORMAT_CLAUSE = re.compile(r"\bFORMAT\s+([A-Za-z0-9_]+)\s*;?\s*$", re.IGNORECASE)
SETTING_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")

# ClickHouse answers some errors with a 4xx status; everything else is a 500.
STATUS_BY_CODE = {
    62: 400,   # SYNTAX_ERROR
    27: 400,   # CANNOT_PARSE_INPUT_ASSERTION_FAILED
    115: 400,  # UNKNOWN_SETTING
    456: 400,  # UNKNOWN_QUERY_PARAMETER
    60: 404,   # UNKNOWN_TABLE
    81: 404,   # UNKNOWN_DATABASE
    516: 403,  # AUTHENTICATION_FAILED
}


class EngineError(Exception):
    def __init__(self, code, message):
        super().__init__(message)
        self.code = code
        self.status = STATUS_BY_CODE.get(code, 500)


class Result:
    def __init__(self, body, fmt, rows_read, bytes_read, rows_written, bytes_written, elapsed_s):
        self.body = body
        self.format = fmt
        self.summary = {
            "read_rows": str(rows_read), "read_bytes": str(bytes_read),
            "written_rows": str(rows_written), "written_bytes": str(bytes_written),
            "total_rows_to_read": str(rows_read), "result_rows": "0", "result_bytes": str(len(body)),
            "elapsed_ns": str(int(elapsed_s * 1e9)),
        }


def _literal(value):
    """A SET value as a string literal: ClickHouse parses it by the setting's own type, as it
    does for settings given as URL parameters (a bare 25.12 would be a Float64)."""
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


class Engine:
    def __init__(self, data_path, compatibility):
        self._session = chdb_session.Session(data_path)
        self._lock = threading.Lock()
        self._applied = {}
        self._database = "default"
        self._run("SET compatibility = " + _literal(compatibility))
        self.version = self._run("SELECT version()").bytes().decode().strip()

    def _run(self, sql, fmt="TabSeparated", params=None):
        try:
            return self._session.query(sql, fmt, params=params or None)
        except Exception as error:  # chDB raises its own error type with ClickHouse's text
            text = str(error)
            match = ERROR_CODE.search(text)
            raise EngineError(int(match.group(1)) if match else 1001, text) from None

    def _apply_settings(self, settings):
        """Session settings follow the request: set what changed, reset what it no longer sends."""
        for name in list(self._applied):
            if name not in settings:
                self._run(f"SET {name} = DEFAULT")
                del self._applied[name]
        for name, value in settings.items():
            if self._applied.get(name) != value:
                self._run(f"SET {name} = {_literal(value)}")
                self._applied[name] = value

    def execute(self, sql, url_params, default_format="TabSeparated"):
        settings = {}
        params = {}
        for name, value in url_params.items():
            if name.startswith("param_"):
                params[name[len("param_"):]] = value
            elif name in NOT_SETTINGS or name in IGNORED_SETTINGS:
                continue
            elif SETTING_NAME.match(name):
                settings[name] = value
            else:
                raise EngineError(115, f"Code: 115. DB::Exception: Unknown setting '{name}'. (UNKNOWN_SETTING)")
        match = FORMAT_CLAUSE.search(sql)
        fmt = match.group(1) if match else default_format
        database = url_params.get("database", "default") or "default"
        with self._lock:
            if database != self._database:
                self._run(f"USE `{database}`")
                self._database = database
            self._apply_settings(settings)
            started = time.monotonic()
            result = self._run(sql, fmt, params)
            elapsed = time.monotonic() - started
            return Result(result.bytes(), fmt, result.rows_read(), result.bytes_read(),
                          _call(result, "rows_written"), _call(result, "bytes_written"), elapsed)

    def close(self):
        with self._lock:
            self._session.close()


def _call(result, name):
    method = getattr(result, name, None)
    try:
        return method() if callable(method) else 0
    except Exception:
        return 0
