"""The security suite (issue 15): one test per finding, through the dev host of the shared session stack.

It reuses the product API fixtures (signed-out users, empty storage rows, two independent browsers).
"""

from __future__ import annotations

from tests.integration.product_api.conftest import browser, product, second_browser

__all__ = ["browser", "product", "second_browser"]
