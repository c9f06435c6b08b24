"""Yonhap English and Korean copy in its three layouts.

:mod:`.base` is what they share (story record, version tags, body reading);
:mod:`.portal` (portal reposts), :mod:`.crawl` (crawled pages) and
:mod:`.teletype` (e-mailed teletype copy) each build on it, never on each
other, except that the portal sniffer steps aside for the two more specific
layouts.
"""
