# A local certificate authority for the server certificate and a separate one for device client
# certificates. Generated on first run under the state directory; never committed.
# shellcheck shell=bash

# make_ca DIR NAME "Common Name"
make_ca() {
  local dir="$1" name="$2" cn="$3"
  [[ -f "$dir/$name.crt" ]] && return 0
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -sha256 -days 3650 \
    -subj "/CN=$cn" -keyout "$dir/$name.key" -out "$dir/$name.crt" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
  chmod 600 "$dir/$name.key"
}

# make_cert DIR NAME CA_NAME "Common Name" EXT_USAGE [SUBJECT_ALT_NAMES]
make_cert() {
  local dir="$1" name="$2" ca="$3" cn="$4" usage="$5" san="${6:-}"
  [[ -f "$dir/$name.crt" ]] && return 0
  openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -sha256 -subj "/CN=$cn" \
    -keyout "$dir/$name.key" -out "$dir/$name.csr" 2>/dev/null
  local ext="$dir/$name.ext"
  { echo "basicConstraints=CA:FALSE"; echo "keyUsage=critical,digitalSignature"; echo "extendedKeyUsage=$usage"
    [[ -n "$san" ]] && echo "subjectAltName=$san"; } >"$ext"
  openssl x509 -req -in "$dir/$name.csr" -CA "$dir/$ca.crt" -CAkey "$dir/$ca.key" -CAcreateserial \
    -days 825 -sha256 -extfile "$ext" -out "$dir/$name.crt" 2>/dev/null
  rm -f "$dir/$name.csr" "$ext"
  chmod 600 "$dir/$name.key"
}

# make_tls DIR: server CA + server certificate for localhost, device CA.
make_tls() {
  local dir="$1"
  mkdir -p "$dir"
  chmod 700 "$dir"
  make_ca "$dir" ca "Portcullis local CA"
  make_cert "$dir" server ca "localhost" serverAuth "DNS:localhost,IP:127.0.0.1,IP:::1"
  make_ca "$dir" device-ca "Portcullis device CA"
}
