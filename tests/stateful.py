"""Settings shared by the hypothesis state machines that run over the database."""

import hypothesis
from hypothesis import HealthCheck, Phase


def database_machine(*, examples: int, steps: int) -> hypothesis.settings:
    """Reproducible runs (derandomized, no example database) without shrinking: shrinking a long sequence over
    the database takes minutes, and the failing steps are printed as found."""
    return hypothesis.settings(
        max_examples=examples,
        stateful_step_count=steps,
        derandomize=True,
        phases=[Phase.explicit, Phase.generate],
        database=None,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    )
