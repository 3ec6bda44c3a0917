"""A stand-in malware scanner for tests: flags the EICAR test string, as ClamAV does."""

EICAR = rb"X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"


class EicarScanner:
    def scan(self, stream):
        stream.seek(0)
        found = EICAR in stream.read()
        stream.seek(0)
        return "Eicar-Test-Signature" if found else None
