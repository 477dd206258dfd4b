"""Design -> polars frames, block by block. Never imports the front ends or the writers."""

from .blocks import FamilyBlock
from .plan import Plan, make_plan
from .run import Run
from .seeding import BLOCK_ROWS

__all__ = ["BLOCK_ROWS", "FamilyBlock", "Plan", "Run", "make_plan"]
