"""`cscp` in a process of its own that publishes without computing the ready figures, as the tests' in-process
loads do (tests/conftest.py): a test of what a publish does to the store's files, not to its figures, does not
wait the 15-30 s of CPU they take on the demo."""

from __future__ import annotations

import sys

WITHOUT_READY = "from cscp_metrics.store import publishing; publishing._ON_PUBLISH.clear(); "
CLI = [sys.executable, "-c", "from cscp_metrics.cli.main import app; " + WITHOUT_READY + "app()"]
