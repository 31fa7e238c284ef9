"""Schema-driven fuzzing: schemathesis reads the app's /api/openapi.json and attacks each operation.

The operations come from the app's own document, so an endpoint added later is fuzzed
without touching this file. Valid and invalid inputs alike must never get a 5xx, and
every response must match what the document promises (status, content type, headers,
body schema). Invalid inputs must be refused with a 4xx.

The app is called in process (ASGI), the whole of it: every middleware, the error
handlers, the routes, the real index. What a socket would add is uvicorn's HTTP parsing,
which schemathesis does not fuzz (it sends well-formed HTTP); the server tests cover
uvicorn. In process the same cases run in a fraction of the time.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from search_api.api.app import create_app

from .conftest import Built

CASES = {GenerationMode.POSITIVE: 500, GenerationMode.NEGATIVE: 200}
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_headers_conformance, response_schema_conformance]


@pytest.fixture(scope="module")
def api_schema(built: Built) -> schemathesis.BaseSchema:
    # The session's settings: the real built site and index, rate limits off, admin on.
    return schemathesis.openapi.from_asgi("/api/openapi.json", create_app(built.settings))


def run_cases(operation: schemathesis.APIOperation, mode: GenerationMode) -> int:
    """Send up to CASES[mode] generated requests; return how many were sent. Raises on a failed check."""
    sent = 0
    checks = CHECKS + ([negative_data_rejection] if mode is GenerationMode.NEGATIVE else [])

    @settings(max_examples=CASES[mode], deadline=None, database=None, derandomize=True,
              phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
    @given(case=operation.as_strategy(generation_mode=mode))
    def one_case(case: schemathesis.Case) -> None:
        nonlocal sent
        sent += 1
        case.call_and_validate(checks=checks)

    one_case()
    return sent


def has_inputs(operation: schemathesis.APIOperation) -> bool:
    return bool(list(operation.iter_parameters())) or bool(operation.body)


def test_every_operation_survives_generated_input(api_schema: schemathesis.BaseSchema) -> None:
    failures: list[str] = []
    counts: dict[str, int] = {}
    for result in api_schema.get_all_operations():
        operation = result.ok()
        for mode in CASES:
            label = f"{operation.label} ({mode.value})"
            try:
                counts[label] = run_cases(operation, mode)
            except Unsatisfiable:
                counts[label] = 0  # nothing invalid can be sent to an operation without inputs
            except (Exception, FailureGroup) as error:  # collect every operation's failure, then report
                failures.append(f"{label}: {error}")
    assert counts, "the live OpenAPI document lists no operations"
    assert not failures, "\n\n".join(failures)
    print("cases per operation:", counts)
    for result in api_schema.get_all_operations():
        operation = result.ok()
        if has_inputs(operation):  # an operation without inputs has one possible request
            sent = counts[f"{operation.label} (positive)"]
            assert sent >= CASES[GenerationMode.POSITIVE], f"{operation.label}: only {sent} cases"
