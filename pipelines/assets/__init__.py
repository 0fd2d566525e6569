"""Assets, one module per stage: registry -> crawl -> documents -> parsed -> observations ->
canonical (dedup) -> out_* tables -> release. Names follow PUDL: `{layer}_{source}__{name}`."""
