"""The proposed rules (research note typology-rules.yaml, trimmed), shared by the typology tests."""

import copy
from typing import Any

RULES: dict[str, Any] = {
    "id": "miec-4types",
    "version": "0.1.0-proposal",
    "codebook": "miec-codebook@0.1.0-proposal",
    "case_unit": "consortium",
    "role_balance": "mean_of_role_means",
    "features": {
        "dim": {"source_branches": ["TAL", "TEC", "ADM"], "measure": "coverage", "min_total_coverage": 0.05},
        "act": {"source_codes": ["ACT.GOV", "ACT.PARK", "ACT.ENT", "ACT.SCH"], "measure": "frequency"},
        "derived": {
            "dim_range": "max(dim.TAL, dim.TEC, dim.ADM) - min(dim.TAL, dim.TEC, dim.ADM)",
            "park_carrier": "present(TEC.CTP) or present(ADM.SPACE)",
        },
    },
    "types": [
        {"id": "GOV_LED", "name_en": "Government-coordinated model", "name_zh": "政府统筹主导型", "lead_actor": "ACT.GOV",
         "dominant_dimension": "ADM",
         "rule": "act.GOV >= 0.35 and act.GOV == max(act) and dim.ADM >= 0.40",
         "score": "0.5 * act.GOV + 0.5 * dim.ADM",
         "fallback_rule": "dim.ADM == max(dim) and dim.ADM >= 0.45"},
        {"id": "PARK_HUB", "name_en": "Park-based aggregation model", "name_zh": "园区依托聚合型", "lead_actor": "ACT.PARK",
         "dominant_dimension": "balanced",
         "rule": "act.PARK >= 0.35 and act.PARK == max(act) and park_carrier",
         "score": "0.5 * act.PARK + 0.5 * (1 - dim_range)",
         "fallback_rule": "dim_range <= 0.15 and park_carrier"},
        {"id": "ENT_LED", "name_en": "Leading-enterprise-driven model", "name_zh": "龙头企业牵引型", "lead_actor": "ACT.ENT",
         "dominant_dimension": "TEC",
         "rule": "act.ENT >= 0.35 and act.ENT == max(act) and dim.TEC >= 0.35",
         "score": "0.5 * act.ENT + 0.5 * dim.TEC",
         "fallback_rule": "dim.TEC == max(dim) and dim.TEC >= 0.40"},
        {"id": "SCH_LED", "name_en": "College-led (school as main body) model", "name_zh": "院校主体牵头型", "lead_actor": "ACT.SCH",
         "dominant_dimension": "TAL",
         "rule": "act.SCH >= 0.35 and act.SCH == max(act) and dim.TAL >= 0.45",
         "score": "0.5 * act.SCH + 0.5 * dim.TAL",
         "fallback_rule": "dim.TAL == max(dim) and dim.TAL >= 0.45"},
    ],
    "clustering_check": {"k_candidates": [2, 3, 4, 5], "min_cases": 8,
                         "stability": {"replicates": 40, "seed": 20250101, "flag_below": 0.6}},
}


def rules(**changes: Any) -> dict[str, Any]:
    data = copy.deepcopy(RULES)
    data.update(changes)
    return data
