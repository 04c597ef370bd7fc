"""The processes of a sharded cluster for shardkv_cluster_test.py (lab shardkv) and
txn_cluster_test.py (lab txn, the same layout), on site_cluster.SiteCluster.
"""
from site_cluster import SiteCluster, TestFailure, check  # noqa: F401 (re-exported)

MAXRAFTSTATE = 1000  # bytes; options.maxraftstate (labs/harness/shardkv/shardkv_node.h)


class Cluster(SiteCluster):
    """Partition ctrl (sites m0..m2, the shard master) and a partition g<gid> (sites
    g<gid>s0..s2) per gid, as in config/shardkv_3x3.yml; `lab` and `options` go to the config
    (default: shardkv, maxraftstate MAXRAFTSTATE)."""

    def __init__(self, server, cli, tmp, gids, lab="shardkv", options=None):
        partitions = {"ctrl": ["m0", "m1", "m2"]}
        for gid in gids:
            partitions[f"g{gid}"] = [f"g{gid}s{i}" for i in range(3)]
        options = {"maxraftstate": MAXRAFTSTATE} if options is None else options
        super().__init__(server, cli, tmp, lab, partitions, options)
