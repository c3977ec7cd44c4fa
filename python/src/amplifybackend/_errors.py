"""What can go wrong when starting, stopping or steering a server."""

from __future__ import annotations


class ServerError(Exception):
    """Base of every error this package raises."""


class BinaryNotFound(ServerError):
    """No `amplifybackend` executable where one was expected."""


class ServerStartError(ServerError):
    """The server exited or did not become healthy; the message ends with its last log
    lines."""


class ControlError(ServerError):
    """A control endpoint (`/_amplifybackend/...`) answered with an error."""

    def __init__(self, method: str, path: str, status: int, body: str) -> None:
        super().__init__(f"{method} {path} answered {status}: {body}")
        self.method = method
        self.path = path
        self.status = status
        self.body = body
