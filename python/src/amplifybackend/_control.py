"""The test-control endpoints of a running server as small methods: fault rules and job
progression. Each call is one HTTP request; the answers are the server's JSON."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from ._server import Server

JobMode = Literal["immediate", "time", "manual"]
JobOutcome = Literal["COMPLETED", "FAILED"]


class Faults:
    """Fault rules (`/_amplifybackend/faults`): the next matching requests get an error,
    a delay, or jobs that fail. Rules live in the server's memory, first match wins."""

    def __init__(self, server: Server) -> None:
        self._server = server

    def rules(self) -> list[dict[str, Any]]:
        """The rules in force, in matching order (`times` shows the uses left)."""
        rules: list[dict[str, Any]] = self._server.control("GET", "/faults")["faults"]
        return rules

    def add(
        self,
        operation: str | None = None,
        *,
        status_code: int | None = None,
        code: str | None = None,
        message: str | None = None,
        service: str | None = None,
        account_id: str | None = None,
        region: str | None = None,
        probability: float | None = None,
        times: int | None = None,
        latency_ms: int | None = None,
        job_status: Literal["FAILED"] | None = None,
        job_error: str | None = None,
    ) -> list[dict[str, Any]]:
        """Appends one rule and answers every rule now in force. The effect is an error
        (`status_code` and/or `code`, `message`), a delay (`latency_ms`) or failing jobs
        (`job_status="FAILED"`, `job_error`); the other arguments narrow which requests
        it applies to, and `times` makes it expire."""
        rule: dict[str, Any] = {}
        error = {
            key: value
            for key, value in (("statusCode", status_code), ("code", code), ("message", message))
            if value is not None
        }
        if error:
            rule["error"] = error
        for key, value in (
            ("service", service),
            ("operation", operation),
            ("accountId", account_id),
            ("region", region),
            ("probability", probability),
            ("times", times),
            ("latencyMs", latency_ms),
            ("jobStatus", job_status),
            ("jobError", job_error),
        ):
            if value is not None:
                rule[key] = value
        return self.add_rule(rule)

    def add_rule(self, rule: dict[str, Any]) -> list[dict[str, Any]]:
        """Appends a rule written in the endpoint's own JSON (camelCase)."""
        rules: list[dict[str, Any]] = self._server.control("POST", "/faults", rule)["faults"]
        return rules

    def set(self, rules: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Replaces every rule with these (the endpoint's JSON); `[]` clears."""
        answer: list[dict[str, Any]] = self._server.control("POST", "/faults", rules)["faults"]
        return answer

    def clear(self) -> None:
        """Removes every rule."""
        self._server.control("DELETE", "/faults")


class Jobs:
    """How jobs move on (`/_amplifybackend/jobs/...`): at once, after a time, or only
    when a test advances them."""

    def __init__(self, server: Server) -> None:
        self._server = server

    def progression(self) -> dict[str, Any]:
        """The default mode and the per-operation ones."""
        answer: dict[str, Any] = self._server.control("GET", "/jobs/progression")
        return answer

    def set_progression(
        self,
        mode: JobMode,
        *,
        duration_ms: int | None = None,
        operation: str | None = None,
    ) -> dict[str, Any]:
        """Sets the mode for jobs started from now on: for one `operation`
        (`"CreateBackendAuth"`), or the default, which clears every per-operation mode.
        `"time"` takes `duration_ms`."""
        body: dict[str, Any] = {"mode": mode}
        if duration_ms is not None:
            body["durationMs"] = duration_ms
        if operation is not None:
            body["operation"] = operation
        answer: dict[str, Any] = self._server.control("PUT", "/jobs/progression", body)
        return answer

    def manual(self, operation: str | None = None) -> dict[str, Any]:
        """Jobs stay RUNNING until `advance` finishes them."""
        return self.set_progression("manual", operation=operation)

    def immediate(self, operation: str | None = None) -> dict[str, Any]:
        """Jobs finish inside the request that starts them."""
        return self.set_progression("immediate", operation=operation)

    def advance(
        self,
        app_id: str,
        backend_environment_name: str,
        job_id: str,
        status: JobOutcome = "COMPLETED",
        *,
        error: str | None = None,
        account_id: str | None = None,
        region: str | None = None,
    ) -> dict[str, Any]:
        """Finishes a RUNNING job: COMPLETED applies its effect, FAILED (with `error`)
        never does. Answers the job as GetBackendJob would describe it."""
        body: dict[str, Any] = {
            "appId": app_id,
            "backendEnvironmentName": backend_environment_name,
            "jobId": job_id,
            "status": status,
        }
        for key, value in (("error", error), ("accountId", account_id), ("region", region)):
            if value is not None:
                body[key] = value
        answer: dict[str, Any] = self._server.control("POST", "/jobs/advance", body)
        return answer
