// A stand-in for WAM (Windows.Security.Authentication.Web.Core) for tests under Wine: a DLL that
// Wine's RoGetActivationFactory loads from HKLM\Software\Microsoft\WindowsRuntime\ActivatableClassId
// (shared/research/wam-msal-client.md), serving WebAuthenticationCoreManager (statics, statics4, the
// desktop interop) and WebTokenRequest with the documented interfaces (native/win/winrt_abi.h).
//
// Driven by three files named in the environment (Windows paths):
//   ENTRA_WAM_STANDIN_SCRIPT  JSON, read at every call (so a test may change it between calls):
//     {delayMs, noProvider, defaultAccountId, signInAccountId, noSignedHttpRequests,
//      accounts: [{id, userName, authority: "organizations"|"consumers", properties: {..},
//                  accessToken, idToken, clientInfo, expiresIn}],
//      tokenOutcome: {on: "interactive"|"silent"|"all", status, errorCode, errorMessage, delayMs}}
//   ENTRA_WAM_STANDIN_STATE   JSON {signedIn: [account ids]}: who has signed in (kept across processes)
//   ENTRA_WAM_STANDIN_LOG     one JSON line per call with its arguments (HWND, scope, client id, every
//                             request property and app property, account, thread), and every
//                             QueryInterface it refused
// Behaviour as WAM documents it: tokens come back with the wam_compat=2.0 properties only when the
// request asks for them; a request with token_type=shr gets a signed HTTP request (PoP) instead of the
// account's access token (signedHttpRequest.h); the MSA provider ("consumers") refuses to list accounts; an account that has
// not signed in needs interaction (status 3); operations complete on another thread (async.h).
#include <windows.h>
#include <winstring.h>

#include <cstdio>
#include <ctime>
#include <fstream>
#include <memory>
#include <mutex>
#include <sstream>

#include "async.h"
#include "objects.h"
#include "signedHttpRequest.h"
#include "script_json.h"

namespace standin {

constexpr const char* kMicrosoftProvider = "https://login.microsoft.com";
constexpr const char* kDefaultProvider = "https://login.windows.local";
constexpr double kEpoch1601To1970 = 11644473600.0;

std::string Utf8(HSTRING s) {
  UINT32 n = 0;
  const wchar_t* raw = WindowsGetStringRawBuffer(s, &n);
  return Narrow(raw, n);
}

HSTRING MakeHString(const std::string& utf8) {
  std::wstring w;
  HSTRING h = nullptr;
  if (Widen(utf8, &w) && !w.empty()) WindowsCreateString(w.c_str(), static_cast<UINT32>(w.size()), &h);
  return h;
}

std::string EnvPath(const char* name) {
  char buf[1024];
  DWORD n = GetEnvironmentVariableA(name, buf, sizeof buf);
  return n > 0 && n < sizeof buf ? std::string(buf, n) : std::string();
}

std::mutex g_files;

void LogEvent(const std::string& line) {
  std::string path = EnvPath("ENTRA_WAM_STANDIN_LOG");
  if (path.empty()) return;
  std::lock_guard<std::mutex> lock(g_files);
  if (FILE* f = std::fopen(path.c_str(), "ab")) {
    std::fwrite(line.data(), 1, line.size(), f);
    std::fputc('\n', f);
    std::fclose(f);
  }
}

std::string GuidText(REFIID g) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%08lx-%04x-%04x-%02x%02x-%02x%02x%02x%02x%02x%02x", static_cast<unsigned long>(g.Data1),
                g.Data2, g.Data3, g.Data4[0], g.Data4[1], g.Data4[2], g.Data4[3], g.Data4[4], g.Data4[5], g.Data4[6],
                g.Data4[7]);
  return buf;
}

void LogQueryMiss(const char* object, REFIID iid) {
  LogEvent(json::ObjectWriter().String("call", "QueryInterface.refused").String("object", object).String("iid", GuidText(iid)).Finish());
}

json::Value ReadJsonFile(const std::string& path) {
  json::Value v;
  if (path.empty()) return v;
  std::string text;
  {
    std::lock_guard<std::mutex> lock(g_files);
    std::ifstream in(path, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    text = ss.str();
  }
  std::string error;
  if (!json::Parse(text, &v, &error)) v = json::Value();
  return v;
}

json::Value Script() { return ReadJsonFile(EnvPath("ENTRA_WAM_STANDIN_SCRIPT")); }

std::vector<std::string> SignedIn() {
  std::vector<std::string> ids;
  json::Value state = ReadJsonFile(EnvPath("ENTRA_WAM_STANDIN_STATE"));
  for (const auto& v : json::Elements(json::Get(state, "signedIn")))
    if (v.is_string()) ids.push_back(v.get<std::string>());
  return ids;
}

void SetSignedIn(const std::string& id, bool signed_in) {
  std::vector<std::string> ids = SignedIn();
  std::vector<std::string> next;
  for (const auto& i : ids)
    if (i != id) next.push_back(i);
  if (signed_in) next.push_back(id);
  std::string text = json::Write(json::Value{{"signedIn", next}});
  std::string path = EnvPath("ENTRA_WAM_STANDIN_STATE");
  std::lock_guard<std::mutex> lock(g_files);
  std::ofstream(path, std::ios::binary | std::ios::trunc) << text;
}

bool IsSignedIn(const std::string& id) {
  for (const auto& i : SignedIn())
    if (i == id) return true;
  return false;
}

const json::Value* ScriptAccount(const json::Value& script, const std::string& id) {
  if (const json::Value* accounts = json::Get(script, "accounts"))
    for (const auto& a : json::Elements(accounts))
      if (json::Str(a, "id") == id) return &a;
  return nullptr;
}

StringMap ToStringMap(const json::Value* v) {
  StringMap m;
  if (v != nullptr && v->is_object())
    for (const auto& kv : v->items())
      if (kv.value().is_string()) m[kv.key()] = kv.value().get<std::string>();
  return m;
}

DWORD DelayMs(const json::Value& script) { return static_cast<DWORD>(json::Num(script, "delayMs", 20)); }

// ---- Windows.Security.Credentials ---------------------------------------------------------------

class Provider final : public Object<IWebAccountProviderAbi, IWebAccountProvider2Abi> {
 public:
  Provider(std::string id, std::string authority)
      : Object("Windows.Security.Credentials.WebAccountProvider"), id_(std::move(id)), authority_(std::move(authority)) {}
  HRESULT STDMETHODCALLTYPE get_Id(HSTRING* v) override { return *v = MakeHString(id_), S_OK; }
  HRESULT STDMETHODCALLTYPE get_DisplayName(HSTRING* v) override {
    return *v = MakeHString(authority_ == "consumers" ? "Microsoft account" : "Work or school account"), S_OK;
  }
  HRESULT STDMETHODCALLTYPE get_IconUri(IInspectable** v) override { return *v = nullptr, S_OK; }
  HRESULT STDMETHODCALLTYPE get_DisplayPurpose(HSTRING* v) override { return *v = nullptr, S_OK; }
  HRESULT STDMETHODCALLTYPE get_Authority(HSTRING* v) override { return *v = MakeHString(authority_), S_OK; }
  const std::string& id() const { return id_; }
  const std::string& authority() const { return authority_; }

 protected:
  void* Find(REFIID iid) override {
    if (IsEqualGUID(iid, kIID_IWebAccountProvider)) return static_cast<IWebAccountProviderAbi*>(this);
    if (IsEqualGUID(iid, kIID_IWebAccountProvider2)) return static_cast<IWebAccountProvider2Abi*>(this);
    return nullptr;
  }

 private:
  std::string id_, authority_;
};

// The stand-in's own objects arrive back as interface pointers; these find the object again.
Provider* AsProvider(IWebAccountProviderAbi* p) { return p == nullptr ? nullptr : static_cast<Provider*>(p); }

class Account final : public Object<IWebAccountAbi, IWebAccount2Abi> {
 public:
  Account(std::string id, std::string user, Provider* provider, StringMap properties)
      : Object("Windows.Security.Credentials.WebAccount"), id_(std::move(id)), user_(std::move(user)), provider_(provider), properties_(std::move(properties)) {
    provider_->AddRef();
  }
  ~Account() override { provider_->Release(); }
  HRESULT STDMETHODCALLTYPE get_WebAccountProvider(IWebAccountProviderAbi** v) override {
    provider_->AddRef();
    return *v = provider_, S_OK;
  }
  HRESULT STDMETHODCALLTYPE get_UserName(HSTRING* v) override { return *v = MakeHString(user_), S_OK; }
  HRESULT STDMETHODCALLTYPE get_State(std::int32_t* v) override { return *v = 1 /* Connected */, S_OK; }
  HRESULT STDMETHODCALLTYPE get_Id(HSTRING* v) override { return *v = MakeHString(id_), S_OK; }
  HRESULT STDMETHODCALLTYPE get_Properties(IStringMapViewAbi** v) override { return *v = New<StringMapView>(properties_), S_OK; }
  HRESULT STDMETHODCALLTYPE GetPictureAsync(std::int32_t, IInspectable** op) override { return *op = nullptr, E_NOTIMPL; }
  HRESULT STDMETHODCALLTYPE SignOutAsync(IAsyncActionAbi** action) override { return SignOut("", action); }
  HRESULT STDMETHODCALLTYPE SignOutWithClientIdAsync(HSTRING client_id, IAsyncActionAbi** action) override {
    return SignOut(Utf8(client_id), action);
  }
  const std::string& id() const { return id_; }

 protected:
  void* Find(REFIID iid) override {
    if (IsEqualGUID(iid, kIID_IWebAccount)) return static_cast<IWebAccountAbi*>(this);
    if (IsEqualGUID(iid, kIID_IWebAccount2)) return static_cast<IWebAccount2Abi*>(this);
    return nullptr;
  }

 private:
  HRESULT SignOut(const std::string& client_id, IAsyncActionAbi** action) {
    LogEvent(json::ObjectWriter()
                 .String("call", client_id.empty() ? "SignOutAsync" : "SignOutWithClientIdAsync")
                 .String("account", id_)
                 .String("clientId", client_id)
                 .Finish());
    std::string id = id_;
    auto* op = New<AsyncAction>("SignOutAsync", kIID_IAsyncAction, DelayMs(Script()), [id] {
      SetSignedIn(id, false);
      return Outcome();
    });
    op->Start();
    *action = op;
    return S_OK;
  }

  std::string id_, user_;
  Provider* provider_;
  StringMap properties_;
};

Account* AsAccount(IWebAccountAbi* a) { return a == nullptr ? nullptr : static_cast<Account*>(a); }

Account* MakeAccount(const json::Value& a) {
  auto* provider = New<Provider>(kMicrosoftProvider, json::Str(a, "authority", "organizations"));
  auto* account = New<Account>(json::Str(a, "id"), json::Str(a, "userName"), provider, ToStringMap(json::Get(a, "properties")));
  provider->Release();
  return account;
}

// ---- Windows.Security.Authentication.Web.Core -------------------------------------------------

class TokenRequest final : public Object<IWebTokenRequestAbi, IWebTokenRequest2Abi, IWebTokenRequest3Abi> {
 public:
  TokenRequest(Provider* provider, std::string scope, std::string client_id, std::int32_t prompt)
      : Object("Windows.Security.Authentication.Web.Core.WebTokenRequest"),
        provider_(provider), scope_(std::move(scope)), client_id_(std::move(client_id)), prompt_(prompt) {
    if (provider_ != nullptr) provider_->AddRef();
  }
  ~TokenRequest() override {
    if (provider_ != nullptr) provider_->Release();
    properties_->Release();
    app_properties_->Release();
  }
  HRESULT STDMETHODCALLTYPE get_WebAccountProvider(IWebAccountProviderAbi** v) override {
    if (provider_ != nullptr) provider_->AddRef();
    return *v = provider_, S_OK;
  }
  HRESULT STDMETHODCALLTYPE get_Scope(HSTRING* v) override { return *v = MakeHString(scope_), S_OK; }
  HRESULT STDMETHODCALLTYPE get_ClientId(HSTRING* v) override { return *v = MakeHString(client_id_), S_OK; }
  HRESULT STDMETHODCALLTYPE get_PromptType(std::int32_t* v) override { return *v = prompt_, S_OK; }
  HRESULT STDMETHODCALLTYPE get_Properties(IStringMapAbi** v) override {
    properties_->AddRef();
    return *v = properties_, S_OK;
  }
  HRESULT STDMETHODCALLTYPE get_AppProperties(IStringMapAbi** v) override {
    app_properties_->AddRef();
    return *v = app_properties_, S_OK;
  }
  HRESULT STDMETHODCALLTYPE get_CorrelationId(HSTRING* v) override { return *v = MakeHString(correlation_id_), S_OK; }
  HRESULT STDMETHODCALLTYPE put_CorrelationId(HSTRING v) override { return correlation_id_ = Utf8(v), S_OK; }

  // The request as the log shows it.
  json::ObjectWriter& Describe(json::ObjectWriter& w) {
    w.String("scope", scope_).String("clientId", client_id_).Number("prompt", prompt_);
    if (provider_ != nullptr) w.String("providerId", provider_->id()).String("providerAuthority", provider_->authority());
    w.StringMap("properties", properties_->Snapshot()).String("correlationId", correlation_id_);
    StringMap app = app_properties_->Snapshot();
    if (!app.empty()) w.StringMap("appProperties", app);
    return w;
  }
  StringMap Properties() { return properties_->Snapshot(); }
  StringMap AppProperties() { return app_properties_->Snapshot(); }
  const std::string& scope() const { return scope_; }

 protected:
  void* Find(REFIID iid) override {
    if (IsEqualGUID(iid, kIID_IWebTokenRequest)) return static_cast<IWebTokenRequestAbi*>(this);
    if (IsEqualGUID(iid, kIID_IWebTokenRequest2)) return static_cast<IWebTokenRequest2Abi*>(this);
    if (IsEqualGUID(iid, kIID_IWebTokenRequest3)) return static_cast<IWebTokenRequest3Abi*>(this);
    return nullptr;
  }

 private:
  Provider* provider_;
  std::string scope_, client_id_, correlation_id_;
  std::int32_t prompt_;
  StringMapObject* properties_ = New<StringMapObject>();
  StringMapObject* app_properties_ = New<StringMapObject>();
};

class ProviderError final : public Object<IWebProviderErrorAbi> {
 public:
  ProviderError(UINT32 code, std::string message) : Object("Windows.Security.Authentication.Web.Core.WebProviderError"), code_(code), message_(std::move(message)) {}
  ~ProviderError() override { properties_->Release(); }
  HRESULT STDMETHODCALLTYPE get_ErrorCode(UINT32* v) override { return *v = code_, S_OK; }
  HRESULT STDMETHODCALLTYPE get_ErrorMessage(HSTRING* v) override { return *v = MakeHString(message_), S_OK; }
  HRESULT STDMETHODCALLTYPE get_Properties(IStringMapAbi** v) override {
    properties_->AddRef();
    return *v = properties_, S_OK;
  }

 protected:
  void* Find(REFIID iid) override { return IsEqualGUID(iid, kIID_IWebProviderError) ? static_cast<IWebProviderErrorAbi*>(this) : nullptr; }

 private:
  UINT32 code_;
  std::string message_;
  StringMapObject* properties_ = New<StringMapObject>();
};

class TokenResponse final : public Object<IWebTokenResponseAbi> {
 public:
  TokenResponse(std::string token, Account* account, StringMap properties)
      : Object("Windows.Security.Authentication.Web.Core.WebTokenResponse"), token_(std::move(token)), account_(account), properties_(New<StringMapObject>(std::move(properties))) {
    if (account_ != nullptr) account_->AddRef();
  }
  ~TokenResponse() override {
    if (account_ != nullptr) account_->Release();
    properties_->Release();
  }
  HRESULT STDMETHODCALLTYPE get_Token(HSTRING* v) override { return *v = MakeHString(token_), S_OK; }
  HRESULT STDMETHODCALLTYPE get_ProviderError(IWebProviderErrorAbi** v) override { return *v = nullptr, S_OK; }
  HRESULT STDMETHODCALLTYPE get_WebAccount(IWebAccountAbi** v) override {
    if (account_ != nullptr) account_->AddRef();
    return *v = account_, S_OK;
  }
  HRESULT STDMETHODCALLTYPE get_Properties(IStringMapAbi** v) override {
    properties_->AddRef();
    return *v = properties_, S_OK;
  }

 protected:
  void* Find(REFIID iid) override { return IsEqualGUID(iid, kIID_IWebTokenResponse) ? static_cast<IWebTokenResponseAbi*>(this) : nullptr; }

 private:
  std::string token_;
  Account* account_;
  StringMapObject* properties_;
};

class TokenResult final : public Object<IWebTokenRequestResultAbi> {
 public:
  // Takes over the references to responses and error.
  TokenResult(std::int32_t status, std::vector<IInspectable*> responses, ProviderError* error)
      : Object("Windows.Security.Authentication.Web.Core.WebTokenRequestResult"), status_(status), error_(error),
        responses_(New<ObjectVector>(responses, kIID_VectorViewWebTokenResponse, kIID_IterableWebTokenResponse, kIID_IteratorWebTokenResponse)) {
    for (auto* r : responses) r->Release();
  }
  ~TokenResult() override {
    responses_->Release();
    if (error_ != nullptr) error_->Release();
  }
  HRESULT STDMETHODCALLTYPE get_ResponseData(IVectorViewAbi** v) override {
    responses_->AddRef();
    return *v = responses_, S_OK;
  }
  HRESULT STDMETHODCALLTYPE get_ResponseStatus(std::int32_t* v) override { return *v = status_, S_OK; }
  HRESULT STDMETHODCALLTYPE get_ResponseError(IWebProviderErrorAbi** v) override {
    if (error_ != nullptr) error_->AddRef();
    return *v = error_, S_OK;
  }
  HRESULT STDMETHODCALLTYPE InvalidateCacheAsync(IAsyncActionAbi** action) override {
    auto* op = New<AsyncAction>("InvalidateCacheAsync", kIID_IAsyncAction, 0, [] { return Outcome(); });
    op->Start();
    return *action = op, S_OK;
  }

 protected:
  void* Find(REFIID iid) override { return IsEqualGUID(iid, kIID_IWebTokenRequestResult) ? static_cast<IWebTokenRequestResultAbi*>(this) : nullptr; }

 private:
  std::int32_t status_;
  ProviderError* error_;
  ObjectVector* responses_;
};

class FindAllResult final : public Object<IFindAllAccountsResultAbi> {
 public:
  FindAllResult(std::vector<IInspectable*> accounts, std::int32_t status)
      : Object("Windows.Security.Authentication.Web.Core.FindAllAccountsResult"), status_(status),
        accounts_(New<ObjectVector>(accounts, kIID_VectorViewWebAccount, kIID_IterableWebAccount, kIID_IteratorWebAccount)) {
    for (auto* a : accounts) a->Release();
  }
  ~FindAllResult() override { accounts_->Release(); }
  HRESULT STDMETHODCALLTYPE get_Accounts(IVectorViewAbi** v) override {
    accounts_->AddRef();
    return *v = accounts_, S_OK;
  }
  HRESULT STDMETHODCALLTYPE get_Status(std::int32_t* v) override { return *v = status_, S_OK; }
  HRESULT STDMETHODCALLTYPE get_ProviderError(IWebProviderErrorAbi** v) override { return *v = nullptr, S_OK; }

 protected:
  void* Find(REFIID iid) override { return IsEqualGUID(iid, kIID_IFindAllAccountsResult) ? static_cast<IFindAllAccountsResultAbi*>(this) : nullptr; }

 private:
  std::int32_t status_;
  ObjectVector* accounts_;
};

// The token WAM hands back for `a`, with the properties a wam_compat=2.0 request gets.
// `signs_http_requests` false: an AAD plugin that ignores token_type=shr (answers with a bearer token).
TokenResult* TokenFor(const json::Value& a, TokenRequest* request, std::int32_t status, bool signs_http_requests) {
  StringMap req = request->Properties();
  StringMap props;
  double expires_on = static_cast<double>(std::time(nullptr)) + json::Num(a, "expiresIn", 3600);
  props["TokenExpiresOn"] = std::to_string(static_cast<long long>(expires_on + kEpoch1601To1970));
  std::string tenant = json::Get(a, "properties") ? json::Str(*json::Get(a, "properties"), "TenantId") : "";
  props["Authority"] = "https://login.microsoftonline.com/" + tenant + "/";
  if (req.count("correlationId")) props["correlationId"] = req["correlationId"];
  if (req["wam_compat"] == "2.0") {
    props["wamcompat_id_token"] = json::Str(a, "idToken");
    props["wamcompat_client_info"] = json::Str(a, "clientInfo");
    props["wamcompat_scopes"] = request->scope();
  }
  std::string token = json::Str(a, "accessToken");
  if (req["token_type"] == "shr" && signs_http_requests) {
    // Proof of possession: WAM answers with a signed HTTP request (README.md, "Proof of possession").
    ShrRequest shr{request->AppProperties(),
                   json::ObjectWriter().String("aud", request->scope()).String("iss", "https://login.microsoftonline.com/" + tenant + "/v2.0")
                       .String("tid", tenant).String("oid", json::Get(a, "properties") ? json::Str(*json::Get(a, "properties"), "OID") : "")
                       .String("scp", request->scope()).Number("iat", static_cast<double>(std::time(nullptr))).Number("exp", expires_on).Finish()};
    std::string error;
    if (!MakeSignedHttpRequest(shr, &token, &error)) {
      auto* provider_error = New<ProviderError>(0x80070057 /* E_INVALIDARG */, error);
      return New<TokenResult>(5 /* ProviderError */, std::vector<IInspectable*>(), provider_error);
    }
  }
  Account* account = MakeAccount(a);
  auto* response = New<TokenResponse>(token, account, props);
  account->Release();
  return New<TokenResult>(status, std::vector<IInspectable*>{static_cast<IWebTokenResponseAbi*>(response)}, nullptr);
}

TokenResult* StatusOnly(std::int32_t status, const json::Value* outcome) {
  ProviderError* error = nullptr;
  if (outcome != nullptr && json::Get(*outcome, "errorCode") != nullptr)
    error = New<ProviderError>(static_cast<UINT32>(json::Num(*outcome, "errorCode", 0)), json::Str(*outcome, "errorMessage"));
  return New<TokenResult>(status, std::vector<IInspectable*>(), error);
}

enum class TokenCall { kInteractive, kSilent, kDefault };

// A reference owned by whoever holds the returned pointer (null stays null).
std::shared_ptr<void> Hold(IUnknown* p) {
  if (p != nullptr) p->AddRef();
  return std::shared_ptr<void>(p, [](void* q) {
    if (q != nullptr) static_cast<IUnknown*>(q)->Release();
  });
}

// Starts a token operation: the scripted outcome if one applies, else WAM's normal behaviour.
HRESULT StartToken(const char* what, TokenCall kind, TokenRequest* request, Account* account, void** out) {
  json::Value script = Script();
  const json::Value* outcome = json::Get(script, "tokenOutcome");
  std::string on = outcome ? json::Str(*outcome, "on", "all") : "";
  bool scripted = outcome != nullptr && (on == "all" || (on == "interactive") == (kind == TokenCall::kInteractive));
  DWORD delay = scripted && json::Get(*outcome, "delayMs") ? static_cast<DWORD>(json::Num(*outcome, "delayMs", 0)) : DelayMs(script);
  // The operation keeps the request and account alive until it is destroyed, run or cancelled.
  std::shared_ptr<void> keep_request = Hold(static_cast<IWebTokenRequestAbi*>(request));
  std::shared_ptr<void> keep_account = Hold(static_cast<IWebAccountAbi*>(account));
  auto* op = New<AsyncOperation>(what, kIID_AsyncOperationWebTokenRequestResult, delay, [=]() {
    (void)keep_request;
    (void)keep_account;
    json::Value s = Script();
    const json::Value* o = json::Get(s, "tokenOutcome");
    Outcome result;
    std::int32_t status = scripted ? static_cast<std::int32_t>(o ? json::Num(*o, "status", 0) : 0) : 0;
    std::string id = account != nullptr ? account->id()
                     : kind == TokenCall::kInteractive ? json::Str(s, "signInAccountId", !json::Elements(json::Get(s, "accounts")).empty() ? json::Str(json::Elements(json::Get(s, "accounts"))[0], "id") : "")
                                                       : json::Str(s, "defaultAccountId");
    const json::Value* a = ScriptAccount(s, id);
    if (scripted && status != 0 && status != 2) {
      result.result = static_cast<IWebTokenRequestResultAbi*>(StatusOnly(status, o));
    } else if (a == nullptr || (kind == TokenCall::kSilent && !IsSignedIn(id))) {
      result.result = static_cast<IWebTokenRequestResultAbi*>(StatusOnly(3 /* UserInteractionRequired */, nullptr));
    } else {
      if (kind == TokenCall::kInteractive) SetSignedIn(id, true);
      result.result = static_cast<IWebTokenRequestResultAbi*>(TokenFor(*a, request, status, !json::Bool(s, "noSignedHttpRequests", false)));
    }
    return result;
  });
  op->Start();
  *out = static_cast<IAsyncOperationAbi*>(op);
  return S_OK;
}

std::string NormalizeAuthority(const std::string& authority) {
  return authority.find("consumers") != std::string::npos || authority.find("9188040d-6c67-4c5b-b112-36a304b66dad") != std::string::npos
             ? "consumers"
             : "organizations";
}

// An operation that completes with `result` (which may be null); it takes over the caller's reference.
AsyncOperation* Completing(const char* what, const GUID& iid, DWORD delay, IInspectable* result) {
  std::shared_ptr<void> keep = Hold(result);
  if (result != nullptr) result->Release();
  return New<AsyncOperation>(what, iid, delay, [keep, result] {
    Outcome o;
    if (result != nullptr) result->AddRef();
    o.result = result;
    return o;
  });
}

HRESULT StartProvider(const char* what, const std::string& id, const std::string& authority, IAsyncOperationAbi** out) {
  json::Value script = Script();
  IInspectable* provider = nullptr;
  if (!json::Bool(script, "noProvider", false)) {
    if (id == kDefaultProvider) {
      const json::Value* a = ScriptAccount(script, json::Str(script, "defaultAccountId"));
      provider = static_cast<IWebAccountProviderAbi*>(New<Provider>(kDefaultProvider, a ? json::Str(*a, "authority", "organizations") : "organizations"));
    } else if (id == kMicrosoftProvider) {
      provider = static_cast<IWebAccountProviderAbi*>(New<Provider>(id, NormalizeAuthority(authority)));
    }
  }
  auto* op = Completing(what, kIID_AsyncOperationWebAccountProvider, DelayMs(script), provider);
  op->Start();
  *out = op;
  return S_OK;
}

class CoreManager final
    : public Object<IActivationFactory, IWebAuthenticationCoreManagerStaticsAbi, IWebAuthenticationCoreManagerStatics4Full,
                    IWebAuthenticationCoreManagerInteropAbi> {
 public:
  CoreManager() : Object("Windows.Security.Authentication.Web.Core.WebAuthenticationCoreManager") {}

  HRESULT STDMETHODCALLTYPE ActivateInstance(IInspectable** instance) override { return *instance = nullptr, E_NOTIMPL; }

  HRESULT STDMETHODCALLTYPE GetTokenSilentlyAsync(IWebTokenRequestAbi* request, IAsyncOperationAbi** op) override {
    return Token("GetTokenSilentlyAsync", TokenCall::kDefault, nullptr, request, nullptr, op);
  }
  HRESULT STDMETHODCALLTYPE GetTokenSilentlyWithWebAccountAsync(IWebTokenRequestAbi* request, IWebAccountAbi* account,
                                                                IAsyncOperationAbi** op) override {
    return Token("GetTokenSilentlyWithWebAccountAsync", TokenCall::kSilent, nullptr, request, account, op);
  }
  HRESULT STDMETHODCALLTYPE RequestTokenAsync(IWebTokenRequestAbi*, IAsyncOperationAbi** op) override {
    LogEvent("{\"call\":\"RequestTokenAsync\"}");
    return *op = nullptr, static_cast<HRESULT>(0x80070578);  // ERROR_INVALID_WINDOW_HANDLE: desktop apps use the interop
  }
  HRESULT STDMETHODCALLTYPE RequestTokenWithWebAccountAsync(IWebTokenRequestAbi*, IWebAccountAbi*, IAsyncOperationAbi** op) override {
    LogEvent("{\"call\":\"RequestTokenWithWebAccountAsync\"}");
    return *op = nullptr, static_cast<HRESULT>(0x80070578);
  }
  HRESULT STDMETHODCALLTYPE FindAccountAsync(IWebAccountProviderAbi* provider, HSTRING id, IAsyncOperationAbi** op) override {
    Provider* p = AsProvider(provider);
    std::string account_id = Utf8(id);
    LogEvent(json::ObjectWriter().String("call", "FindAccountAsync").String("providerId", p ? p->id() : "")
                 .String("providerAuthority", p ? p->authority() : "").String("accountId", account_id).Finish());
    json::Value script = Script();
    const json::Value* a = ScriptAccount(script, account_id);
    IInspectable* found = nullptr;
    bool known = a != nullptr && p != nullptr && json::Str(*a, "authority", "organizations") == p->authority() &&
                 (IsSignedIn(account_id) || account_id == json::Str(script, "defaultAccountId"));
    if (known) found = static_cast<IWebAccountAbi*>(MakeAccount(*a));
    auto* async = Completing("FindAccountAsync", kIID_AsyncOperationWebAccount, DelayMs(script), found);
    async->Start();
    return *op = async, S_OK;
  }
  HRESULT STDMETHODCALLTYPE FindAccountProviderAsync(HSTRING id, IAsyncOperationAbi** op) override {
    LogEvent(json::ObjectWriter().String("call", "FindAccountProviderAsync").String("providerId", Utf8(id)).Finish());
    return StartProvider("FindAccountProviderAsync", Utf8(id), "", op);
  }
  HRESULT STDMETHODCALLTYPE FindAccountProviderWithAuthorityAsync(HSTRING id, HSTRING authority, IAsyncOperationAbi** op) override {
    LogEvent(json::ObjectWriter().String("call", "FindAccountProviderWithAuthorityAsync").String("providerId", Utf8(id))
                 .String("authority", Utf8(authority)).Finish());
    return StartProvider("FindAccountProviderWithAuthorityAsync", Utf8(id), Utf8(authority), op);
  }

  HRESULT STDMETHODCALLTYPE FindAllAccountsAsync(IWebAccountProviderAbi* provider, IAsyncOperationAbi** op) override {
    return FindAll("FindAllAccountsAsync", provider, "", op);
  }
  HRESULT STDMETHODCALLTYPE FindAllAccountsWithClientIdAsync(IWebAccountProviderAbi* provider, HSTRING client_id, IAsyncOperationAbi** op) override {
    return FindAll("FindAllAccountsWithClientIdAsync", provider, Utf8(client_id), op);
  }
  HRESULT STDMETHODCALLTYPE FindSystemAccountProviderAsync(HSTRING, IAsyncOperationAbi** op) override { return *op = nullptr, E_NOTIMPL; }
  HRESULT STDMETHODCALLTYPE FindSystemAccountProviderWithAuthorityAsync(HSTRING, HSTRING, IAsyncOperationAbi** op) override { return *op = nullptr, E_NOTIMPL; }
  HRESULT STDMETHODCALLTYPE FindSystemAccountProviderWithAuthorityForUserAsync(HSTRING, HSTRING, IInspectable*, IAsyncOperationAbi** op) override {
    return *op = nullptr, E_NOTIMPL;
  }

  HRESULT STDMETHODCALLTYPE RequestTokenForWindowAsync(HWND window, IInspectable* request, REFIID riid, void** op) override {
    return Interactive("RequestTokenForWindowAsync", window, request, nullptr, riid, op);
  }
  HRESULT STDMETHODCALLTYPE RequestTokenWithWebAccountForWindowAsync(HWND window, IInspectable* request, IInspectable* account,
                                                                     REFIID riid, void** op) override {
    return Interactive("RequestTokenWithWebAccountForWindowAsync", window, request, account, riid, op);
  }

 protected:
  void* Find(REFIID iid) override {
    if (IsEqualGUID(iid, kIID_IActivationFactory)) return static_cast<IActivationFactory*>(this);
    if (IsEqualGUID(iid, kIID_IWebAuthenticationCoreManagerStatics)) return static_cast<IWebAuthenticationCoreManagerStaticsAbi*>(this);
    if (IsEqualGUID(iid, kIID_IWebAuthenticationCoreManagerStatics4)) return static_cast<IWebAuthenticationCoreManagerStatics4Full*>(this);
    if (IsEqualGUID(iid, kIID_IWebAuthenticationCoreManagerInterop)) return static_cast<IWebAuthenticationCoreManagerInteropAbi*>(this);
    return nullptr;
  }

 private:
  static TokenRequest* OwnRequest(IInspectable* request) {
    IWebTokenRequestAbi* r = nullptr;
    if (request == nullptr || FAILED(request->QueryInterface(kIID_IWebTokenRequest, reinterpret_cast<void**>(&r)))) return nullptr;
    r->Release();  // the caller still holds it
    return static_cast<TokenRequest*>(r);
  }

  HRESULT Token(const char* what, TokenCall kind, HWND window, IInspectable* request_in, IWebAccountAbi* account_in, IAsyncOperationAbi** op) {
    TokenRequest* request = OwnRequest(request_in);
    Account* account = AsAccount(account_in);
    json::ObjectWriter w;
    w.String("call", what);
    if (kind == TokenCall::kInteractive) {
      char hwnd[32];
      std::snprintf(hwnd, sizeof hwnd, "0x%llx", static_cast<unsigned long long>(reinterpret_cast<std::uintptr_t>(window)));
      w.String("hwnd", hwnd);
    }
    if (request != nullptr) request->Describe(w);
    if (account != nullptr) w.String("account", account->id());
    w.Number("thread", GetCurrentThreadId());
    LogEvent(w.Finish());
    if (request == nullptr) return E_INVALIDARG;
    return StartToken(what, kind, request, account, reinterpret_cast<void**>(op));
  }

  HRESULT Interactive(const char* what, HWND window, IInspectable* request, IInspectable* account_in, REFIID riid, void** op) {
    *op = nullptr;
    if (!IsEqualGUID(riid, kIID_AsyncOperationWebTokenRequestResult)) {
      LogQueryMiss(what, riid);
      return E_NOINTERFACE;
    }
    IWebAccountAbi* account = nullptr;
    if (account_in != nullptr && FAILED(account_in->QueryInterface(kIID_IWebAccount, reinterpret_cast<void**>(&account)))) return E_INVALIDARG;
    if (account != nullptr) account->Release();  // the caller still holds it
    IAsyncOperationAbi* async = nullptr;
    HRESULT hr = Token(what, TokenCall::kInteractive, window, request, account, &async);
    *op = async;
    return hr;
  }

  HRESULT FindAll(const char* what, IWebAccountProviderAbi* provider, const std::string& client_id, IAsyncOperationAbi** op) {
    Provider* p = AsProvider(provider);
    LogEvent(json::ObjectWriter().String("call", what).String("providerId", p ? p->id() : "")
                 .String("providerAuthority", p ? p->authority() : "").String("clientId", client_id).Finish());
    json::Value script = Script();
    std::vector<IInspectable*> accounts;
    std::int32_t status = 0;
    if (p != nullptr && p->authority() == "consumers") {
      status = 1;  // NotAllowedByProvider: the MSA provider does not list accounts
    } else if (const json::Value* list = json::Get(script, "accounts")) {
      for (const auto& a : json::Elements(list))
        if (json::Str(a, "authority", "organizations") == "organizations" && IsSignedIn(json::Str(a, "id")))
          accounts.push_back(static_cast<IWebAccountAbi*>(MakeAccount(a)));
    }
    IInspectable* result = static_cast<IFindAllAccountsResultAbi*>(New<FindAllResult>(accounts, status));
    auto* async = Completing(what, kIID_AsyncOperationFindAllAccountsResult, DelayMs(script), result);
    async->Start();
    return *op = async, S_OK;
  }
};

class TokenRequestFactory final : public Object<IActivationFactory, IWebTokenRequestFactoryFull> {
 public:
  TokenRequestFactory() : Object("Windows.Security.Authentication.Web.Core.WebTokenRequest") {}
  HRESULT STDMETHODCALLTYPE ActivateInstance(IInspectable** instance) override { return *instance = nullptr, E_NOTIMPL; }
  HRESULT STDMETHODCALLTYPE Create(IWebAccountProviderAbi* provider, HSTRING scope, HSTRING client_id, IWebTokenRequestAbi** out) override {
    return Make("Create", provider, Utf8(scope), Utf8(client_id), 0, out);
  }
  HRESULT STDMETHODCALLTYPE CreateWithPromptType(IWebAccountProviderAbi* provider, HSTRING scope, HSTRING client_id, std::int32_t prompt,
                                                 IWebTokenRequestAbi** out) override {
    return Make("CreateWithPromptType", provider, Utf8(scope), Utf8(client_id), prompt, out);
  }
  HRESULT STDMETHODCALLTYPE CreateWithProvider(IWebAccountProviderAbi* provider, IWebTokenRequestAbi** out) override {
    return Make("CreateWithProvider", provider, "", "", 0, out);
  }
  HRESULT STDMETHODCALLTYPE CreateWithScope(IWebAccountProviderAbi* provider, HSTRING scope, IWebTokenRequestAbi** out) override {
    return Make("CreateWithScope", provider, Utf8(scope), "", 0, out);
  }

 protected:
  void* Find(REFIID iid) override {
    if (IsEqualGUID(iid, kIID_IActivationFactory)) return static_cast<IActivationFactory*>(this);
    if (IsEqualGUID(iid, kIID_IWebTokenRequestFactory)) return static_cast<IWebTokenRequestFactoryFull*>(this);
    return nullptr;
  }

 private:
  static HRESULT Make(const char* what, IWebAccountProviderAbi* provider, const std::string& scope, const std::string& client_id,
                      std::int32_t prompt, IWebTokenRequestAbi** out) {
    LogEvent(json::ObjectWriter().String("call", std::string("WebTokenRequest.") + what).String("scope", scope)
                 .String("clientId", client_id).Number("prompt", prompt).Finish());
    if (provider == nullptr) return E_INVALIDARG;
    *out = New<TokenRequest>(AsProvider(provider), scope, client_id, prompt);
    return S_OK;
  }
};

}  // namespace standin

extern "C" __declspec(dllexport) HRESULT WINAPI DllGetActivationFactory(HSTRING class_id, IActivationFactory** factory) {
  using namespace standin;
  if (factory == nullptr) return E_POINTER;
  std::string name = Utf8(class_id);
  // `live`: stand-in objects still alive from earlier calls (a client that releases everything: 0).
  LogEvent(json::ObjectWriter().String("call", "DllGetActivationFactory").String("class", name).Number("live", LiveObjects().load()).Finish());
  if (name == "Windows.Security.Authentication.Web.Core.WebAuthenticationCoreManager") {
    *factory = New<CoreManager>();
    return S_OK;
  }
  if (name == "Windows.Security.Authentication.Web.Core.WebTokenRequest") {
    *factory = New<TokenRequestFactory>();
    return S_OK;
  }
  *factory = nullptr;
  return CLASS_E_CLASSNOTAVAILABLE;
}

extern "C" __declspec(dllexport) HRESULT WINAPI DllCanUnloadNow() { return S_FALSE; }
