"""Schemathesis hooks for Hearth's fuzzing step (scripts/fuzz).

`no_undocumented_server_error` replaces schemathesis' own `not_a_server_error`: any 5xx fails,
except a gateway answer (502, 503, 504) that the operation's OpenAPI document lists. Those are
the model-server routes, which must answer so when the fuzzer has turned their API off or
pointed a connection at a server that is not there. A storage failure (503 elsewhere) is never
documented, so it always fails. A dropped connection is a network error, which fails the run
on its own.
"""

import schemathesis

GATEWAY = {502, 503, 504}


class ServerError(AssertionError):
    """A 5xx the operation does not document."""


@schemathesis.check
def no_undocumented_server_error(ctx, response, case):
    status = response.status_code
    if status < 500:
        return None
    documented = case.operation.definition.raw.get("responses", {})
    if status in GATEWAY and str(status) in documented:
        return None
    body = response.text[:300] if response.text else ""
    raise ServerError(f"{case.method} {case.path} answered {status}: {body}")
