"""cscp_metrics: the non-UI core of the safeguarding partnership dashboard (no Streamlit here).

Stages, each a subpackage whose docstring says what it owns and what it may import:
  store/       the published DuckDB store: contracts, loading, publishing, aggregates, benchmarks, uploads
  indicators/  the registry (a new indicator goes in indicators/registry/*.toml), engine, tiles, disclosure
  stats/       one small pure function per statistic (a new statistic goes here)
  scrutiny/    where to look: significance, change, funnels, league, reconciliation, figures check
  records/     working records beside the store: members, challenges, returns status, assurance
  outputs/     files that leave the product: safe CSV, board pack, report chapter
  cli/         the `cscp` command line
  demo/        the deterministic demo partnership (shared by the app and the tests)
  bench/       `cscp bench`
  reference/   the packaged DfE extract and the annual report's published figures
Pages are listed in indicators/registry/pages.toml; their Streamlit code is in cscp_ui/ and pages/.
"""

from __future__ import annotations

from cscp_metrics.pandas_strings import use_python_strings

use_python_strings()

PARTNERSHIP_LABEL = "the partnership"
SYNTHETIC_NOTICE = (
    "Demo data: synthetic records for Camden (E09000007), calibrated to the figures published in the "
    "Camden Safeguarding Children Partnership annual report 2019-20. No real child is represented."
)
OGL_CREDIT = "Contains public sector information licensed under the Open Government Licence v3.0."
