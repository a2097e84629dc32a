"""Election services, one module per job: turnout, tally (who is elected), imports of polling
areas, and open-data rows. Callers may import from here or from the module itself."""

from elections.services.imports import (
    IMPORT_COLUMNS,
    ImportReport,
    polling_areas_import,
    polling_areas_parse,
)
from elections.services.opendata import (
    RESULT_COLUMNS,
    TURNOUT_COLUMNS,
    results_rows,
    turnout_dict,
    turnout_rows,
)
from elections.services.tally import CandidateResult, Tally, election_tallies, unit_tally
from elections.services.turnout import Turnout, area_totals, election_turnout
from portal.numbers import percentage

__all__ = [
    "IMPORT_COLUMNS",
    "RESULT_COLUMNS",
    "TURNOUT_COLUMNS",
    "CandidateResult",
    "ImportReport",
    "Tally",
    "Turnout",
    "area_totals",
    "election_tallies",
    "election_turnout",
    "percentage",
    "polling_areas_import",
    "polling_areas_parse",
    "results_rows",
    "turnout_dict",
    "turnout_rows",
    "unit_tally",
]
