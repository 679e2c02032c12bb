"""Save an HTML file through a running LibreOffice with a password.

Usage: python3 lo-encrypt.py PIPE SRC DST FILTER PASSWORD
(make-fixtures.sh starts soffice with --accept=pipe,name=PIPE;urp;)
Used to make the encrypted .doc and .xls fixtures: soffice --convert-to
cannot set a password.
"""
import os
import sys
import time

import uno
from com.sun.star.beans import PropertyValue


def prop(name, value):
    p = PropertyValue()
    p.Name, p.Value = name, value
    return p


def main():
    pipe, src, dst, flt, password = sys.argv[1:6]
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext(
        "com.sun.star.bridge.UnoUrlResolver", local)
    ctx = None
    for _ in range(120):
        try:
            ctx = resolver.resolve(
                "uno:pipe,name=%s;urp;StarOffice.ComponentContext" % pipe)
            break
        except Exception:
            time.sleep(0.5)
    if ctx is None:
        sys.exit("LibreOffice did not start")
    desktop = ctx.ServiceManager.createInstanceWithContext(
        "com.sun.star.frame.Desktop", ctx)
    infilter = "HTML (StarCalc)" if "Excel" in flt else "HTML (StarWriter)"
    doc = desktop.loadComponentFromURL(
        uno.systemPathToFileUrl(os.path.abspath(src)), "_blank", 0,
        (prop("Hidden", True), prop("FilterName", infilter)))
    doc.storeToURL(uno.systemPathToFileUrl(os.path.abspath(dst)),
                   (prop("FilterName", flt), prop("Password", password)))
    doc.close(True)


if __name__ == "__main__":
    main()
