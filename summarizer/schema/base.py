"""The base of every model in the schema: unknown fields are refused, aliases accepted."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class SchemaModel(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)
