"""The partitioned export on a Dask cluster: the same rows as `pipeline.export`, as part files.

`run` plans the parts and hands them out (`dispatch`); each part writes its own files (`partfiles`);
`workers` holds what a local cluster's worker processes need first. Only the public pipeline API
is used, so the two exports cannot drift apart.
"""

from .run import PART_FORMATS, ClusterResult, check_target, connect, export, fingerprint

__all__ = ["PART_FORMATS", "ClusterResult", "check_target", "connect", "export", "fingerprint"]
