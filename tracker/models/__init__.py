"""All models, imported here so Alembic and the app see one metadata."""
from tracker.models.assets import Arrangement, Asset, AssetKind, AssetTotals, AssetStatus, Condition, Ownership, Retention
from tracker.models.handovers import Handover, HandoverItem, HandoverParty, HandoverStatus, ReceiptState
from tracker.models.history import AssetEvent, AuditEntry, ImportBatch, StoredFile
from tracker.models.notices import Notice
from tracker.models.norms import EquipmentTypeRule, Norm, NormBasis, ProvinceSetting
from tracker.models.imports import ImportMapping
from tracker.models.jobs import BackgroundJob, JobChunk
from tracker.models.units import Agency, Province, Unit, UnitKind, UnitSuccession
from tracker.models.users import ApiToken, Role, User

__all__ = [
    "Agency", "ApiToken", "BackgroundJob", "JobChunk", "EquipmentTypeRule", "ImportMapping", "Norm", "NormBasis", "ProvinceSetting",
    "Arrangement", "Asset", "AssetEvent", "AssetKind", "AssetTotals", "AssetStatus", "AuditEntry", "Condition",
    "Handover", "HandoverItem", "Notice", "HandoverParty", "HandoverStatus", "ImportBatch", "Ownership",
    "Province", "ReceiptState", "Retention", "Role", "StoredFile", "Unit", "UnitKind",
    "UnitSuccession", "User",
]
