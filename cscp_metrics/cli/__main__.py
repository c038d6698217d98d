from __future__ import annotations

import sys

from cscp_metrics.cli.main import app

sys.exit(app())
