"""The studio's brand on the client's pages: what every page of a link adds to its
context (`galleries.brand.brand_for`), read once per request; and the gallery's
design (`galleries.design.design_of`) on the pages that show the gallery."""

from galleries.brand import brand_for
from galleries.design import design_of


def client_context(owner) -> dict:
    """`brand` (galleries.brand.BrandView) and `studio` (its name) for a template."""
    brand = brand_for(owner)
    return {"brand": brand, "studio": brand.studio_name}


def design_context(gallery) -> dict:
    """`design` (galleries.design.DesignView): the gallery's own look, read from the
    gallery already loaded with the link."""
    return {"design": design_of(gallery)}
