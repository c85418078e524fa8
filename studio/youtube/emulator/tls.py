"""A throw-away self-signed certificate, so the emulator's port can also answer TLS.

googleapiclient builds media upload URLs (videos.insert, thumbnails.set) from the discovery document's
``https://`` root and swaps in only the host of ``api_endpoint``; against ``http://127.0.0.1:PORT/`` it
therefore opens TLS to the emulator's port. The server sniffs the first byte of each connection and wraps
TLS ones with this certificate (subject and SAN 127.0.0.1 and localhost). A client trusts it by passing
``ca_certs=emu.ca_file`` to ``httplib2.Http`` (or HTTPLIB2_CA_CERTS before httplib2 is imported).
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import pathlib
import ssl
import tempfile


def make_context(directory: pathlib.Path | None = None) -> tuple[ssl.SSLContext, pathlib.Path] | None:
    """A server context and the path of the certificate (the CA file for clients); None without cryptography."""
    try:
        from cryptography import x509
        from cryptography.hazmat.primitives import hashes, serialization
        from cryptography.hazmat.primitives.asymmetric import ec
        from cryptography.x509.oid import NameOID
    except ImportError:  # pragma: no cover - cryptography comes with google-auth's dependencies
        return None
    folder = directory or pathlib.Path(tempfile.mkdtemp(prefix="studio-emulator-tls-"))
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=7))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.IPAddress(ipaddress.ip_address("127.0.0.1")), x509.DNSName("localhost")]
            ),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_file = folder / "emulator-cert.pem"
    key_file = folder / "emulator-key.pem"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    key_file.chmod(0o600)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert_file, key_file)
    return context, cert_file
