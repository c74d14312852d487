# The MedDev suite on the official Odoo 11.0 image (Debian stretch, Python 3.5).
# Not exercised on the project's machines (no Docker engine there): written from
# the image's documentation. The local route is `make run` / `make test`.
FROM odoo:11.0

USER root
# stretch moved to the Debian archive
RUN sed -i 's#deb.debian.org/debian#archive.debian.org/debian#; \
            s#security.debian.org/debian-security#archive.debian.org/debian-security#; \
            /stretch-updates/d' /etc/apt/sources.list \
    && apt-get update \
    && apt-get install -y --no-install-recommends \
        tesseract-ocr tesseract-ocr-chi-sim poppler-utils \
        fonts-noto-cjk fontconfig \
    && rm -rf /var/lib/apt/lists/*

# Python libraries for Python 3.5 (the image's), and the OCA 11.0 wheels with
# --no-deps: their metadata requires a distribution named `odoo`, which the
# image's Debian package does not register with pip. They land in
# /usr/local/lib/python3.5/dist-packages/odoo/addons (see docker-compose.yml).
COPY requirements-nodeps.txt /tmp/requirements-nodeps.txt
RUN pip3 install --no-cache-dir "pytesseract==0.3.0" "pdf2image==1.12.1" \
        "hypothesis<5" \
        "XlsxWriter==1.2.9" "xlrd==1.2.0" \
    && grep '^odoo11-addon-' /tmp/requirements-nodeps.txt \
        | xargs pip3 install --no-cache-dir --no-deps

USER odoo
