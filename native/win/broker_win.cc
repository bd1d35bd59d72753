// Windows: the Web Account Manager (WAM) through the WinRT ABI (winrt_abi.h), one call per thread.
// Each call initialises the Windows Runtime on its own thread (multithreaded apartment), activates
// WebAuthenticationCoreManager, runs its WAM operations one after another (async_wait.h), and
// returns one JSON object. The request and reply shapes are documented in src/broker/windows.ts,
// which maps WAM's statuses and provider errors; this file reports them raw.
// Call sequence and properties: shared/research/wam-macos.md part A.
#include <roapi.h>

#include <mutex>
#include <string>
#include <vector>

#include "../broker.h"
#include "async_wait.h"
#include "com.h"
#include "json.h"
#include "winrt_abi.h"

namespace entra_broker {

namespace {

using namespace wam;

constexpr std::uint32_t kAvailabilityTimeoutMs = 10000;
// FindAllWebAccountsStatus.Success (wam-macos.md A.1 step 10).
constexpr std::int32_t kFindAllSuccess = 0;

// RoInitialize on this thread for the call's lifetime.
class RuntimeScope {
 public:
  RuntimeScope() {
    HRESULT hr = RoInitialize(RO_INIT_MULTITHREADED);
    owned_ = SUCCEEDED(hr);  // S_OK or S_FALSE; RPC_E_CHANGED_MODE: someone else's apartment, still usable
    ok_ = owned_ || hr == RPC_E_CHANGED_MODE;
    hr_ = hr;
  }
  ~RuntimeScope() {
    if (owned_) RoUninitialize();
  }
  bool ok() const { return ok_; }
  HRESULT hr() const { return hr_; }

 private:
  bool owned_ = false;
  bool ok_ = false;
  HRESULT hr_ = S_OK;
};

const char* DescribeActivationFailure(HRESULT hr) {
  switch (static_cast<std::uint32_t>(hr)) {
    case 0x80040154u: return " (REGDB_E_CLASSNOTREG: this Windows has no WAM; Windows 10 or later is needed)";
    case 0x80004002u: return " (E_NOINTERFACE)";
    default: return "";
  }
}

// One WAM session: the activated classes and the call's control.
class Wam {
 public:
  Wam(const BrokerCall& call, const CallControl& control) : call_(call), control_(control) {}

  // Activates WebAuthenticationCoreManager; a failure means WAM is not here (BROKER_UNAVAILABLE).
  bool Activate(BrokerOutcome* failure) {
    HString cls(Narrow(kClassCoreManager, static_cast<UINT32>(wcslen(kClassCoreManager))));
    HRESULT hr = RoGetActivationFactory(cls.Get(), kIID_IWebAuthenticationCoreManagerStatics, statics_.OutVoid());
    if (FAILED(hr) || !statics_) {
      *failure = HresultFailure(codes::kUnavailable, "activating Windows.Security.Authentication.Web.Core.WebAuthenticationCoreManager", hr);
      failure->error.message += DescribeActivationFailure(hr);
      return false;
    }
    return true;
  }

  // FindAccountProviderAsync(id) when authority is empty, else FindAccountProviderWithAuthorityAsync.
  bool FindProvider(const std::string& provider_id, const std::string& authority, ComPtr<IWebAccountProviderAbi>* out,
                    BrokerOutcome* failure) {
    HString id(provider_id), auth(authority);
    ComPtr<IAsyncOperationAbi> op;
    HRESULT hr = authority.empty() ? statics_->FindAccountProviderAsync(id.Get(), op.Out())
                                   : statics_->FindAccountProviderWithAuthorityAsync(id.Get(), auth.Get(), op.Out());
    const char* what = authority.empty() ? "FindAccountProviderAsync" : "FindAccountProviderWithAuthorityAsync";
    if (FAILED(hr)) return *failure = HresultFailure(codes::kOsError, what, hr), false;
    return AwaitResult(op.Get(), kIID_HandlerWebAccountProvider, control_, what, out, failure);
  }

  bool FindAccount(IWebAccountProviderAbi* provider, const std::string& account_id, ComPtr<IWebAccountAbi>* out,
                   BrokerOutcome* failure) {
    HString id(account_id);
    ComPtr<IAsyncOperationAbi> op;
    HRESULT hr = statics_->FindAccountAsync(provider, id.Get(), op.Out());
    if (FAILED(hr)) return *failure = HresultFailure(codes::kOsError, "FindAccountAsync", hr), false;
    return AwaitResult(op.Get(), kIID_HandlerWebAccount, control_, "FindAccountAsync", out, failure);
  }

  BrokerOutcome Availability(const json::Value& req) {
    BrokerOutcome failure;
    ComPtr<IWebAccountProviderAbi> provider;
    if (!FindProvider(req.Str("providerId"), req.Str("authority"), &provider, &failure)) return failure;
    if (!provider)
      return BrokerOutcome::Failure(codes::kUnavailable, "WAM has no account provider for " + req.Str("providerId") +
                                                             " (authority " + req.Str("authority") + ")");
    return BrokerOutcome::Success(json::ObjectWriter().Raw("provider", ProviderJson(provider.Get())).Finish());
  }

  // {providerId, authorities:[..], clientId, accountId?} -> {accounts:[..], providers:[{authority, status, error?}]}
  BrokerOutcome Accounts(const json::Value& req) {
    BrokerOutcome failure;
    std::string accounts, providers;
    const json::Value* authorities = req.Get("authorities");
    if (authorities == nullptr || authorities->kind != json::Value::Kind::kArray)
      return BrokerOutcome::Failure(codes::kInvalidRequest, "the accounts request has no authorities");
    std::string account_id = req.Str("accountId");
    for (const json::Value& a : authorities->array) {
      std::string authority = a.string;
      ComPtr<IWebAccountProviderAbi> provider;
      if (!FindProvider(req.Str("providerId"), authority, &provider, &failure)) return failure;
      json::ObjectWriter entry;
      entry.String("authority", authority);
      if (!provider) {
        Append(&providers, entry.String("status", "noProvider").Finish());
        continue;
      }
      if (!account_id.empty()) {
        ComPtr<IWebAccountAbi> account;
        if (!FindAccount(provider.Get(), account_id, &account, &failure)) return failure;
        Append(&providers, entry.String("status", account ? "found" : "notFound").Finish());
        if (account) {
          Append(&accounts, AccountJson(account.Get()));
          break;
        }
        continue;
      }
      ComPtr<IWebAuthenticationCoreManagerStatics4Abi> statics4;
      if (FAILED(statics_.As(kIID_IWebAuthenticationCoreManagerStatics4, &statics4))) {
        Append(&providers, entry.String("status", "listingUnsupported").Finish());
        continue;
      }
      HString client_id(req.Str("clientId"));
      ComPtr<IAsyncOperationAbi> op;
      HRESULT hr = statics4->FindAllAccountsWithClientIdAsync(provider.Get(), client_id.Get(), op.Out());
      if (FAILED(hr)) return HresultFailure(codes::kOsError, "FindAllAccountsWithClientIdAsync", hr);
      ComPtr<IFindAllAccountsResultAbi> result;
      if (!AwaitResult(op.Get(), kIID_HandlerFindAllAccountsResult, control_, "FindAllAccountsWithClientIdAsync",
                       &result, &failure))
        return failure;
      if (!result) return BrokerOutcome::Failure(codes::kBadReply, "WAM: FindAllAccountsWithClientIdAsync returned null");
      std::int32_t status = -1;
      result->get_Status(&status);
      entry.Number("status", status);
      ComPtr<IWebProviderErrorAbi> error;
      if (SUCCEEDED(result->get_ProviderError(error.Out())) && error) entry.Raw("error", ErrorJson(error.Get()));
      Append(&providers, entry.Finish());
      ComPtr<IVectorViewAbi> list;
      if (status != kFindAllSuccess || FAILED(result->get_Accounts(list.Out())) || !list) continue;
      UINT32 n = 0;
      list->get_Size(&n);
      for (UINT32 i = 0; i < n; ++i) {
        ComPtr<IWebAccountAbi> account;
        if (SUCCEEDED(list->GetAt(i, account.OutVoid())) && account) Append(&accounts, AccountJson(account.Get()));
      }
    }
    return BrokerOutcome::Success(
        json::ObjectWriter().Raw("accounts", "[" + accounts + "]").Raw("providers", "[" + providers + "]").Finish());
  }

  // {providerId, authority, clientId, scope, prompt, properties{}, appProperties{}?, accountId?,
  //  accountAuthority?, defaultAccount?, defaultProviderId?} -> {status, responses:[..], error?} or {accountNotFound:true}
  BrokerOutcome Token(const json::Value& req, bool interactive) {
    BrokerOutcome failure;
    bool default_account = req.Bool("defaultAccount", false);
    std::string account_id = req.Str("accountId");
    ComPtr<IWebAccountProviderAbi> provider;
    bool found = default_account
                     ? FindProvider(req.Str("defaultProviderId"), "", &provider, &failure)
                     : FindProvider(req.Str("providerId"), req.Str("accountAuthority", req.Str("authority")), &provider,
                                    &failure);
    if (!found) return failure;
    if (!provider) return BrokerOutcome::Failure(codes::kUnavailable, "WAM has no account provider for this request");

    ComPtr<IWebAccountAbi> account;
    if (!account_id.empty() && !default_account) {
      if (!FindAccount(provider.Get(), account_id, &account, &failure)) return failure;
      if (!account) return BrokerOutcome::Success(json::ObjectWriter().Raw("accountNotFound", "true").Finish());
    }

    ComPtr<IWebTokenRequestAbi> request;
    if (!CreateRequest(req, provider.Get(), &request, &failure)) return failure;

    ComPtr<IAsyncOperationAbi> op;
    HRESULT hr;
    const char* what;
    if (interactive) {
      ComPtr<IWebAuthenticationCoreManagerInteropAbi> interop;
      hr = statics_.As(kIID_IWebAuthenticationCoreManagerInterop, &interop);
      if (FAILED(hr)) return HresultFailure(codes::kUnavailable, "IWebAuthenticationCoreManagerInterop", hr);
      HWND window = call_.parent_window != 0 ? reinterpret_cast<HWND>(static_cast<std::uintptr_t>(call_.parent_window))
                                             : GetDesktopWindow();
      if (account) {
        what = "RequestTokenWithWebAccountForWindowAsync";
        hr = interop->RequestTokenWithWebAccountForWindowAsync(window, request.Get(), account.Get(),
                                                               kIID_AsyncOperationWebTokenRequestResult, op.OutVoid());
      } else {
        what = "RequestTokenForWindowAsync";
        hr = interop->RequestTokenForWindowAsync(window, request.Get(), kIID_AsyncOperationWebTokenRequestResult,
                                                 op.OutVoid());
      }
    } else if (account) {
      what = "GetTokenSilentlyWithWebAccountAsync";
      hr = statics_->GetTokenSilentlyWithWebAccountAsync(request.Get(), account.Get(), op.Out());
    } else {
      what = "GetTokenSilentlyAsync";
      hr = statics_->GetTokenSilentlyAsync(request.Get(), op.Out());
    }
    if (FAILED(hr)) return HresultFailure(codes::kOsError, what, hr);
    ComPtr<IWebTokenRequestResultAbi> result;
    if (!AwaitResult(op.Get(), kIID_HandlerWebTokenRequestResult, control_, what, &result, &failure)) return failure;
    if (!result) return BrokerOutcome::Failure(codes::kBadReply, std::string("WAM: ") + what + " returned no result");
    return BrokerOutcome::Success(ResultJson(result.Get()));
  }

  // {providerId, authority, accountId, clientId} -> {signedOut: bool}
  BrokerOutcome SignOut(const json::Value& req) {
    BrokerOutcome failure;
    ComPtr<IWebAccountProviderAbi> provider;
    if (!FindProvider(req.Str("providerId"), req.Str("authority"), &provider, &failure)) return failure;
    if (!provider) return BrokerOutcome::Failure(codes::kUnavailable, "WAM has no account provider for this account");
    ComPtr<IWebAccountAbi> account;
    if (!FindAccount(provider.Get(), req.Str("accountId"), &account, &failure)) return failure;
    if (!account) return BrokerOutcome::Success(json::ObjectWriter().Raw("signedOut", "false").Finish());
    ComPtr<IWebAccount2Abi> account2;
    HRESULT hr = account.As(kIID_IWebAccount2, &account2);
    if (FAILED(hr)) return HresultFailure(codes::kOsError, "IWebAccount2", hr);
    ComPtr<IAsyncActionAbi> action;
    std::string client_id = req.Str("clientId");
    HString id(client_id);
    hr = client_id.empty() ? account2->SignOutAsync(action.Out()) : account2->SignOutWithClientIdAsync(id.Get(), action.Out());
    const char* what = client_id.empty() ? "SignOutAsync" : "SignOutWithClientIdAsync";
    if (FAILED(hr)) return HresultFailure(codes::kOsError, what, hr);
    if (!Await(action.Get(), kIID_AsyncActionCompletedHandler, control_, what, &failure)) return failure;
    hr = action->GetResults();
    CloseAsync(action.Get());
    if (FAILED(hr)) return HresultFailure(codes::kOsError, what, hr);
    return BrokerOutcome::Success(json::ObjectWriter().Raw("signedOut", "true").Finish());
  }

 private:
  static void Append(std::string* list, const std::string& item) {
    if (!list->empty()) *list += ',';
    *list += item;
  }

  bool CreateRequest(const json::Value& req, IWebAccountProviderAbi* provider, ComPtr<IWebTokenRequestAbi>* out,
                     BrokerOutcome* failure) {
    ComPtr<IWebTokenRequestFactoryAbi> factory;
    HString cls(Narrow(kClassWebTokenRequest, static_cast<UINT32>(wcslen(kClassWebTokenRequest))));
    HRESULT hr = RoGetActivationFactory(cls.Get(), kIID_IWebTokenRequestFactory, factory.OutVoid());
    if (FAILED(hr)) return *failure = HresultFailure(codes::kUnavailable, "activating WebTokenRequest", hr), false;
    HString scope(req.Str("scope")), client_id(req.Str("clientId"));
    std::int32_t prompt = req.Num("prompt", 0) == 1 ? kPromptForceAuthentication : kPromptDefault;
    hr = factory->CreateWithPromptType(provider, scope.Get(), client_id.Get(), prompt, out->Out());
    if (FAILED(hr) || !*out) return *failure = HresultFailure(codes::kOsError, "WebTokenRequest.CreateWithPromptType", hr), false;

    ComPtr<IStringMapAbi> properties;
    hr = (*out)->get_Properties(properties.Out());
    if (FAILED(hr) || !properties) return *failure = HresultFailure(codes::kOsError, "WebTokenRequest.Properties", hr), false;
    bool has_correlation_property = false;
    if (const json::Value* props = req.Get("properties")) {
      for (const auto& kv : props->object) {
        if (kv.second.kind != json::Value::Kind::kString) continue;
        HString key(kv.first), value(kv.second.string);
        boolean replaced = 0;
        hr = properties->Insert(key.Get(), value.Get(), &replaced);
        if (FAILED(hr)) return *failure = HresultFailure(codes::kOsError, "WebTokenRequest.Properties.Insert(" + kv.first + ")", hr), false;
        has_correlation_property = has_correlation_property || kv.first == "correlationId";
      }
    }
    if (!InsertAppProperties(req, out->Get(), failure)) return false;
    // The correlation id: IWebTokenRequest3 where Windows has it, else the legacy property.
    ComPtr<IWebTokenRequest3Abi> request3;
    HString correlation(call_.correlation_id);
    if (SUCCEEDED(out->As(kIID_IWebTokenRequest3, &request3)) && request3) {
      request3->put_CorrelationId(correlation.Get());
    } else if (!has_correlation_property) {
      HString key("correlationId");
      boolean replaced = 0;
      properties->Insert(key.Get(), correlation.Get(), &replaced);
    }
    return true;
  }

  // `appProperties` (the proof-of-possession parameters) go to IWebTokenRequest2::AppProperties.
  static bool InsertAppProperties(const json::Value& req, IWebTokenRequestAbi* request, BrokerOutcome* failure) {
    const json::Value* props = req.Get("appProperties");
    if (props == nullptr || props->object.empty()) return true;
    ComPtr<IWebTokenRequest2Abi> request2;
    HRESULT hr = request->QueryInterface(kIID_IWebTokenRequest2, request2.OutVoid());
    if (FAILED(hr) || !request2) return *failure = HresultFailure(codes::kUnavailable, "IWebTokenRequest2 (AppProperties)", hr), false;
    ComPtr<IStringMapAbi> map;
    hr = request2->get_AppProperties(map.Out());
    if (FAILED(hr) || !map) return *failure = HresultFailure(codes::kOsError, "WebTokenRequest.AppProperties", hr), false;
    for (const auto& kv : props->object) {
      if (kv.second.kind != json::Value::Kind::kString) continue;
      HString key(kv.first), value(kv.second.string);
      boolean replaced = 0;
      hr = map->Insert(key.Get(), value.Get(), &replaced);
      if (FAILED(hr)) return *failure = HresultFailure(codes::kOsError, "WebTokenRequest.AppProperties.Insert(" + kv.first + ")", hr), false;
    }
    return true;
  }

  static std::string ProviderJson(IWebAccountProviderAbi* provider) {
    HString id, name, authority;
    provider->get_Id(id.Out());
    provider->get_DisplayName(name.Out());
    ComPtr<IWebAccountProvider2Abi> provider2;
    if (SUCCEEDED(provider->QueryInterface(kIID_IWebAccountProvider2, provider2.OutVoid())) && provider2)
      provider2->get_Authority(authority.Out());
    return json::ObjectWriter()
        .String("id", id.Utf8())
        .String("displayName", name.Utf8())
        .String("authority", authority.Utf8())
        .Finish();
  }

  static std::string AccountJson(IWebAccountAbi* account) {
    json::ObjectWriter w;
    HString user;
    std::int32_t state = 0;
    account->get_UserName(user.Out());
    account->get_State(&state);
    ComPtr<IWebAccount2Abi> account2;
    if (SUCCEEDED(account->QueryInterface(kIID_IWebAccount2, account2.OutVoid())) && account2) {
      HString id;
      account2->get_Id(id.Out());
      w.String("id", id.Utf8());
      ComPtr<IStringMapViewAbi> props;
      if (SUCCEEDED(account2->get_Properties(props.Out())) && props) w.StringMap("properties", ReadStringMap(props.Get()));
    }
    w.String("userName", user.Utf8()).Number("state", state);
    ComPtr<IWebAccountProviderAbi> provider;
    if (SUCCEEDED(account->get_WebAccountProvider(provider.Out())) && provider) w.Raw("provider", ProviderJson(provider.Get()));
    return w.Finish();
  }

  static std::string ErrorJson(IWebProviderErrorAbi* error) {
    UINT32 code = 0;
    HString message;
    error->get_ErrorCode(&code);
    error->get_ErrorMessage(message.Out());
    json::ObjectWriter w;
    w.Number("code", code).String("message", message.Utf8());
    ComPtr<IStringMapAbi> props;
    if (SUCCEEDED(error->get_Properties(props.Out())) && props) w.StringMap("properties", ReadStringMap(props.Get()));
    return w.Finish();
  }

  static std::string ResultJson(IWebTokenRequestResultAbi* result) {
    json::ObjectWriter w;
    std::int32_t status = -1;
    result->get_ResponseStatus(&status);
    w.Number("status", status);
    ComPtr<IWebProviderErrorAbi> error;
    if (SUCCEEDED(result->get_ResponseError(error.Out())) && error) w.Raw("error", ErrorJson(error.Get()));
    std::string responses;
    ComPtr<IVectorViewAbi> data;
    if (SUCCEEDED(result->get_ResponseData(data.Out())) && data) {
      UINT32 n = 0;
      data->get_Size(&n);
      for (UINT32 i = 0; i < n; ++i) {
        ComPtr<IWebTokenResponseAbi> response;
        if (FAILED(data->GetAt(i, response.OutVoid())) || !response) continue;
        json::ObjectWriter r;
        HString token;
        response->get_Token(token.Out());
        r.String("token", token.Utf8());
        ComPtr<IStringMapAbi> props;
        if (SUCCEEDED(response->get_Properties(props.Out())) && props) r.StringMap("properties", ReadStringMap(props.Get()));
        ComPtr<IWebAccountAbi> account;
        if (SUCCEEDED(response->get_WebAccount(account.Out())) && account) r.Raw("account", AccountJson(account.Get()));
        ComPtr<IWebProviderErrorAbi> perr;
        if (SUCCEEDED(response->get_ProviderError(perr.Out())) && perr) r.Raw("error", ErrorJson(perr.Get()));
        Append(&responses, r.Finish());
      }
    }
    w.Raw("responses", "[" + responses + "]");
    return w.Finish();
  }

  const BrokerCall& call_;
  const CallControl& control_;
  ComPtr<IWebAuthenticationCoreManagerStaticsAbi> statics_;
};

}  // namespace

const char* BrokerBackendName() { return "wam"; }

// Node unloads an addon (FreeLibrary) when the worker thread that loaded it ends, but a call's
// thread may still be running here: pin the DLL for the life of the process on the first call.
static void PinThisModule() {
  static std::once_flag once;
  std::call_once(once, [] {
    HMODULE self = nullptr;
    GetModuleHandleExW(GET_MODULE_HANDLE_EX_FLAG_FROM_ADDRESS | GET_MODULE_HANDLE_EX_FLAG_PIN,
                       reinterpret_cast<LPCWSTR>(&PinThisModule), &self);
  });
}

BrokerOutcome RunBrokerCall(const BrokerCall& call, const CancelToken& cancel) {
  PinThisModule();
  if (call.op == BrokerOp::kCancelInteractiveFlow)
    return BrokerOutcome::Failure(codes::kInvalidRequest,
                                  "WAM has no separate cancel call: cancel() the pending call instead");
  json::Value req;
  std::string parse_error;
  if (!IsValidUtf8(call.payload) || !json::Parse(call.payload, &req, &parse_error) ||
      req.kind != json::Value::Kind::kObject)
    return BrokerOutcome::Failure(codes::kInvalidRequest, "the WAM request is not a JSON object: " + parse_error);

  RuntimeScope runtime;
  if (!runtime.ok()) return HresultFailure(codes::kOsError, "RoInitialize", runtime.hr());
  std::uint32_t timeout = call.timeout_ms;
  if (call.op == BrokerOp::kAvailability && timeout == 0) timeout = kAvailabilityTimeoutMs;
  CallControl control(cancel, timeout);
  Wam wam(call, control);
  BrokerOutcome failure;
  if (!wam.Activate(&failure)) return failure;
  switch (call.op) {
    case BrokerOp::kAvailability: return wam.Availability(req);
    case BrokerOp::kInteractiveToken: return wam.Token(req, true);
    case BrokerOp::kSilentToken: return wam.Token(req, false);
    case BrokerOp::kAccounts: return wam.Accounts(req);
    case BrokerOp::kSignOut: return wam.SignOut(req);
    case BrokerOp::kCancelInteractiveFlow: break;
  }
  return BrokerOutcome::Failure(codes::kInternal, "unknown broker operation");
}

}  // namespace entra_broker
