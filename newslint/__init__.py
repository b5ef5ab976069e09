"""newslint: find and remove the junk scrapers and CMS exports leave in news articles."""

__version__ = "0.1.0"
