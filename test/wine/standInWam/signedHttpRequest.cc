#include "signedHttpRequest.h"

#include <windows.h>
#include <bcrypt.h>

#include <ctime>
#include <mutex>
#include <vector>

#include "script_json.h"

namespace standin {
namespace {

using Bytes = std::vector<unsigned char>;

std::string Base64Url(const unsigned char* data, std::size_t size) {
  static const char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string out;
  for (std::size_t i = 0; i < size; i += 3) {
    unsigned long chunk = static_cast<unsigned long>(data[i]) << 16;
    if (i + 1 < size) chunk |= static_cast<unsigned long>(data[i + 1]) << 8;
    if (i + 2 < size) chunk |= data[i + 2];
    out += kAlphabet[(chunk >> 18) & 63];
    out += kAlphabet[(chunk >> 12) & 63];
    if (i + 1 < size) out += kAlphabet[(chunk >> 6) & 63];
    if (i + 2 < size) out += kAlphabet[chunk & 63];
  }
  return out;
}
std::string Base64Url(const std::string& text) { return Base64Url(reinterpret_cast<const unsigned char*>(text.data()), text.size()); }

bool Sha256(const std::string& data, Bytes* digest) {
  static BCRYPT_ALG_HANDLE sha256 = [] {
    BCRYPT_ALG_HANDLE h = nullptr;
    return BCRYPT_SUCCESS(BCryptOpenAlgorithmProvider(&h, BCRYPT_SHA256_ALGORITHM, nullptr, 0)) ? h : nullptr;
  }();
  digest->assign(32, 0);
  return sha256 != nullptr && BCRYPT_SUCCESS(BCryptHash(sha256, nullptr, 0, reinterpret_cast<PUCHAR>(const_cast<char*>(data.data())),
                                                        static_cast<ULONG>(data.size()), digest->data(), 32));
}

// The key pair, made at first use and kept for the process, as WAM keeps its PoP key.
struct Key {
  BCRYPT_KEY_HANDLE handle = nullptr;
  std::string jwk;         // {"e","kty","n"}: the members RFC 7638 hashes, in its order
  std::string thumbprint;  // base64url SHA-256 of `jwk`
  std::string error;
};

Key MakeKey() {
  Key key;
  BCRYPT_ALG_HANDLE rsa = nullptr;
  if (!BCRYPT_SUCCESS(BCryptOpenAlgorithmProvider(&rsa, BCRYPT_RSA_ALGORITHM, nullptr, 0)) ||
      !BCRYPT_SUCCESS(BCryptGenerateKeyPair(rsa, &key.handle, 2048, 0)) || !BCRYPT_SUCCESS(BCryptFinalizeKeyPair(key.handle, 0))) {
    key.error = "BCrypt could not make an RSA key";
    return key;
  }
  ULONG size = 0;
  BCryptExportKey(key.handle, nullptr, BCRYPT_RSAPUBLIC_BLOB, nullptr, 0, &size, 0);
  Bytes blob(size);
  if (size < sizeof(BCRYPT_RSAKEY_BLOB) ||
      !BCRYPT_SUCCESS(BCryptExportKey(key.handle, nullptr, BCRYPT_RSAPUBLIC_BLOB, blob.data(), size, &size, 0))) {
    key.error = "BCrypt could not export the public key";
    return key;
  }
  // BCRYPT_RSAKEY_BLOB, then the exponent and the modulus, both big-endian.
  const auto* header = reinterpret_cast<const BCRYPT_RSAKEY_BLOB*>(blob.data());
  const unsigned char* exponent = blob.data() + sizeof(BCRYPT_RSAKEY_BLOB);
  const unsigned char* modulus = exponent + header->cbPublicExp;
  key.jwk = "{\"e\":\"" + Base64Url(exponent, header->cbPublicExp) + "\",\"kty\":\"RSA\",\"n\":\"" + Base64Url(modulus, header->cbModulus) + "\"}";
  Bytes digest;
  if (!Sha256(key.jwk, &digest)) key.error = "BCrypt could not hash";
  key.thumbprint = Base64Url(digest.data(), digest.size());
  return key;
}

const Key& TheKey() {
  static std::once_flag once;
  static Key key;
  std::call_once(once, [] { key = MakeKey(); });
  return key;
}

bool SignRs256(const Key& key, const std::string& input, std::string* signature) {
  Bytes digest;
  if (!Sha256(input, &digest)) return false;
  BCRYPT_PKCS1_PADDING_INFO padding{BCRYPT_SHA256_ALGORITHM};
  ULONG size = 0;
  if (!BCRYPT_SUCCESS(BCryptSignHash(key.handle, &padding, digest.data(), 32, nullptr, 0, &size, BCRYPT_PAD_PKCS1))) return false;
  Bytes out(size);
  if (!BCRYPT_SUCCESS(BCryptSignHash(key.handle, &padding, digest.data(), 32, out.data(), size, &size, BCRYPT_PAD_PKCS1))) return false;
  *signature = Base64Url(out.data(), size);
  return true;
}

std::string Lookup(const std::map<std::string, std::string>& m, const char* key) {
  auto it = m.find(key);
  return it == m.end() ? std::string() : it->second;
}

}  // namespace

bool MakeSignedHttpRequest(const ShrRequest& request, std::string* shr, std::string* error) {
  const Key& key = TheKey();
  if (!key.error.empty()) return *error = key.error, false;
  const auto& props = request.app_properties;
  std::string method = Lookup(props, "shr_method"), host = Lookup(props, "shr_u");
  if (method.empty() || host.empty()) return *error = "a signed HTTP request needs shr_method and shr_u", false;

  // The access token, bound to the key. The stand-in is no authority: its tokens carry no signature.
  std::string claims = request.access_token_claims;
  if (claims.size() < 2 || claims.back() != '}') return *error = "access token claims are not a JSON object", false;
  claims.pop_back();
  claims += std::string(claims.size() > 1 ? "," : "") + "\"cnf\":{\"kid\":\"" + key.thumbprint + "\"}}";
  std::string access_token = Base64Url("{\"typ\":\"JWT\",\"alg\":\"none\"}") + "." + Base64Url(claims) + ".";

  json::ObjectWriter payload;
  payload.String("at", access_token);
  if (Lookup(props, "shr_add_timestamp") == "1") payload.Number("ts", static_cast<double>(std::time(nullptr)));
  payload.String("m", method).String("u", host);
  if (props.count("shr_p")) payload.String("p", Lookup(props, "shr_p"));
  if (props.count("shr_nonce")) payload.String("nonce", Lookup(props, "shr_nonce"));
  payload.Raw("cnf", "{\"jwk\":" + key.jwk + "}");
  std::string header = json::ObjectWriter().String("alg", "RS256").String("typ", "pop").String("kid", key.thumbprint).Finish();
  std::string input = Base64Url(header) + "." + Base64Url(payload.Finish());
  std::string signature;
  if (!SignRs256(key, input, &signature)) return *error = "BCrypt could not sign", false;
  *shr = input + "." + signature;
  return true;
}

}  // namespace standin
