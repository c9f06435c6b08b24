"""Framed agency text: ANPA-1312 (AP), IPTC 7901 (dpa) and AAP's ZCZC layout.

ANPA-1312 and IPTC 7901 share the SOH/STX/ETX framing and the hard-wrapped body reading of
:mod:`streams.parse.text`; byline and rights lines come from
:mod:`streams.parse.credits`.
"""
