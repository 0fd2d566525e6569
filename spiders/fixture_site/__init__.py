"""The demo / fixture site: a static multi-portal government site with the quirks real portals have.

    truth = build_site(out_dir)                 # files + truth.json (data/demo_site/site.yaml)
    with serve(out_dir) as base_url:            # strict HTTP server on 127.0.0.1
        write_registry(base_url, "reg.yaml")    # registry entries for the served portals
        ... python -m spiders.run --registry reg.yaml --out crawl/ ...
        assert not base_url.unexpected         # nothing requested that the site does not have

`make demo` and the pipeline tests crawl this same site.
"""

from spiders.fixture_site.server import ServedSite, serve
from spiders.fixture_site.site import build_site, load_spec, write_registry

__all__ = ["ServedSite", "build_site", "load_spec", "serve", "write_registry"]
