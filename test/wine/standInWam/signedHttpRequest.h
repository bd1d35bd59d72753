// The stand-in WAM's proof-of-possession answer, as WAM's AAD plugin gives it to a request with
// token_type=shr (README.md, "Proof of possession"): a signed HTTP request (SHR) signed with an RSA
// key the stand-in holds (made with Windows CNG, BCrypt, once per process), wrapping an access token
// bound to that key by its `cnf.kid` (the key's RFC 7638 thumbprint).
#ifndef STAND_IN_WAM_SIGNED_HTTP_REQUEST_H_
#define STAND_IN_WAM_SIGNED_HTTP_REQUEST_H_

#include <map>
#include <string>

namespace standin {

struct ShrRequest {
  std::map<std::string, std::string> app_properties;  // shr_method, shr_u, shr_p, shr_nonce, shr_add_timestamp
  std::string access_token_claims;                    // a JSON object, without `cnf` (added here)
};

// The SHR for `request` in *shr, or false with *error saying why.
bool MakeSignedHttpRequest(const ShrRequest& request, std::string* shr, std::string* error);

}  // namespace standin

#endif  // STAND_IN_WAM_SIGNED_HTTP_REQUEST_H_
