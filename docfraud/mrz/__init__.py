"""The machine readable zone (ICAO Doc 9303): field tables, check digits, repair, parse, generate.

Pure text: ``spec``, ``checksum``, ``clean``, ``parse`` and ``generate`` import nothing heavy.
Image work (``locate``, ``read``) lives in its own modules and is not imported here.
"""
