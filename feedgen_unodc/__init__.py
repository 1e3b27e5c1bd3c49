"""feedgen-unodc: Atom and RSS feeds of the UNODC human trafficking and migrant smuggling news listing."""

__version__ = "0.2.0"
