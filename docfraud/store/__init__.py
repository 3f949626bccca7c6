"""The persistent store of the service and the batch audit: API keys, scans, cases, images.

Not imported by ``import docfraud``: it pulls in SQLAlchemy and Alembic, which analysis alone
does not need.
"""

from __future__ import annotations

from docfraud.store.db import ApiKey, CaseRecord, PurgeReport, Role, ScanRecord, Store

__all__ = ["ApiKey", "CaseRecord", "PurgeReport", "Role", "ScanRecord", "Store"]
