"""Design -> polars frames, block by block. Never imports the front ends or the writers."""

from .plan import Plan, make_plan
from .run import FamilyBlock, Run
from .seeding import BLOCK_ROWS

__all__ = ["BLOCK_ROWS", "FamilyBlock", "Plan", "Run", "make_plan"]
