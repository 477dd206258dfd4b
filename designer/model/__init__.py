"""The preset model: pydantic models of a design, and the checks that need all of it."""

from .checks import check_design
from .design import FORMAT_VERSION, Design, DesignInfo, Entity, ParentLink, Variant
from .kinds import COUNT_KINDS, KIND_MODELS, Field

__all__ = [
    "COUNT_KINDS",
    "FORMAT_VERSION",
    "KIND_MODELS",
    "Design",
    "DesignInfo",
    "Entity",
    "Field",
    "ParentLink",
    "Variant",
    "check_design",
]
