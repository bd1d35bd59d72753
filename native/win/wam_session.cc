#include "wam_session.h"

#include <roapi.h>

#include "wam_read.h"
#include "wam_reply.h"

namespace entra_broker {
namespace wam {

namespace {

// FindAllWebAccountsStatus.Success (wam-macos.md A.1 step 10).
constexpr std::int32_t kFindAllSuccess = 0;

const char* DescribeActivationFailure(HRESULT hr) {
  switch (static_cast<std::uint32_t>(hr)) {
    case 0x80040154u:
      return " (REGDB_E_CLASSNOTREG: this Windows has no WAM; Windows 10 or later is needed)";
    case 0x80004002u:
      return " (E_NOINTERFACE)";
    default:
      return "";
  }
}

HString ClassName(const wchar_t* name) { return HString(Narrow(name, static_cast<UINT32>(wcslen(name)))); }

// Inserts every key/value into a WinRT string map (WebTokenRequest.Properties / AppProperties).
bool InsertAll(IStringMapAbi* map, const StringMap& values, const char* what, BrokerOutcome* failure) {
  for (const auto& kv : values) {
    HString key, value;
    std::string name = std::string(what) + "." + kv.first;
    if (!ToHString(kv.first, name + " (key)", &key, failure) || !ToHString(kv.second, name, &value, failure))
      return false;
    boolean replaced = 0;
    HRESULT hr = map->Insert(key.Get(), value.Get(), &replaced);
    if (FAILED(hr)) return *failure = HresultFailure(codes::kOsError, "WebTokenRequest." + name + " Insert", hr), false;
  }
  return true;
}

// `appProperties` (the proof-of-possession parameters) go to IWebTokenRequest2::AppProperties.
bool InsertAppProperties(const WamRequest& req, IWebTokenRequestAbi* request, BrokerOutcome* failure) {
  if (req.app_properties.empty()) return true;
  ComPtr<IWebTokenRequest2Abi> request2;
  HRESULT hr = request->QueryInterface(kIID_IWebTokenRequest2, request2.OutVoid());
  if (FAILED(hr) || !request2)
    return *failure = HresultFailure(codes::kUnavailable, "IWebTokenRequest2 (AppProperties)", hr), false;
  ComPtr<IStringMapAbi> map;
  hr = request2->get_AppProperties(map.Out());
  if (FAILED(hr) || !map) return *failure = HresultFailure(codes::kOsError, "WebTokenRequest.AppProperties", hr), false;
  return InsertAll(map.Get(), req.app_properties, "AppProperties", failure);
}

}  // namespace

bool ToHString(const std::string& utf8, const std::string& what, HString* out, BrokerOutcome* failure) {
  if (out->Assign(utf8)) return true;
  *failure = BrokerOutcome::Failure(codes::kInvalidRequest, "WAM: " + what + " could not be made a Windows string");
  return false;
}

bool Session::Activate(BrokerOutcome* failure) {
  HString cls = ClassName(kClassCoreManager);
  HRESULT hr = RoGetActivationFactory(cls.Get(), kIID_IWebAuthenticationCoreManagerStatics, statics_.OutVoid());
  if (FAILED(hr) || !statics_) {
    *failure = HresultFailure(codes::kUnavailable,
                              "activating Windows.Security.Authentication.Web.Core.WebAuthenticationCoreManager", hr);
    failure->error.message += DescribeActivationFailure(hr);
    return false;
  }
  return true;
}

// FindAccountProviderAsync(id) when authority is empty, else FindAccountProviderWithAuthorityAsync.
bool Session::FindProvider(const std::string& provider_id, const std::string& authority,
                           ComPtr<IWebAccountProviderAbi>* out, BrokerOutcome* failure) {
  HString id, auth;
  if (!ToHString(provider_id, "providerId", &id, failure) || !ToHString(authority, "authority", &auth, failure))
    return false;
  ComPtr<IAsyncOperationAbi> op;
  HRESULT hr = authority.empty() ? statics_->FindAccountProviderAsync(id.Get(), op.Out())
                                 : statics_->FindAccountProviderWithAuthorityAsync(id.Get(), auth.Get(), op.Out());
  const char* what = authority.empty() ? "FindAccountProviderAsync" : "FindAccountProviderWithAuthorityAsync";
  if (FAILED(hr)) return *failure = HresultFailure(codes::kOsError, what, hr), false;
  return AwaitResult(op.Get(), kIID_HandlerWebAccountProvider, control_, what, out, failure);
}

bool Session::FindAccount(IWebAccountProviderAbi* provider, const std::string& account_id, ComPtr<IWebAccountAbi>* out,
                          BrokerOutcome* failure) {
  HString id;
  if (!ToHString(account_id, "accountId", &id, failure)) return false;
  ComPtr<IAsyncOperationAbi> op;
  HRESULT hr = statics_->FindAccountAsync(provider, id.Get(), op.Out());
  if (FAILED(hr)) return *failure = HresultFailure(codes::kOsError, "FindAccountAsync", hr), false;
  return AwaitResult(op.Get(), kIID_HandlerWebAccount, control_, "FindAccountAsync", out, failure);
}

BrokerOutcome Session::Availability(const WamRequest& req) {
  BrokerOutcome failure;
  ComPtr<IWebAccountProviderAbi> provider;
  if (!FindProvider(req.provider_id, req.authority, &provider, &failure)) return failure;
  if (!provider)
    return BrokerOutcome::Failure(codes::kUnavailable, "WAM has no account provider for " + req.provider_id +
                                                           " (authority " + req.authority + ")");
  return BrokerOutcome::Success(AvailabilityReply(ReadProvider(provider.Get())));
}

BrokerOutcome Session::Accounts(const WamRequest& req) {
  BrokerOutcome failure;
  std::vector<AccountInfo> accounts;
  std::vector<ProviderStatus> providers;
  for (const std::string& authority : req.authorities) {
    ComPtr<IWebAccountProviderAbi> provider;
    if (!FindProvider(req.provider_id, authority, &provider, &failure)) return failure;
    providers.emplace_back();
    ProviderStatus& entry = providers.back();
    entry.authority = authority;
    if (!provider) {
      entry.status_word = "noProvider";
      continue;
    }
    if (!req.account_id.empty()) {
      ComPtr<IWebAccountAbi> account;
      if (!FindAccount(provider.Get(), req.account_id, &account, &failure)) return failure;
      entry.status_word = account ? "found" : "notFound";
      if (account) {
        accounts.push_back(ReadAccount(account.Get()));
        break;
      }
      continue;
    }
    ComPtr<IWebAuthenticationCoreManagerStatics4Abi> statics4;
    if (FAILED(statics_.As(kIID_IWebAuthenticationCoreManagerStatics4, &statics4))) {
      entry.status_word = "listingUnsupported";
      continue;
    }
    HString client_id;
    if (!ToHString(req.client_id, "clientId", &client_id, &failure)) return failure;
    ComPtr<IAsyncOperationAbi> op;
    HRESULT hr = statics4->FindAllAccountsWithClientIdAsync(provider.Get(), client_id.Get(), op.Out());
    if (FAILED(hr)) return HresultFailure(codes::kOsError, "FindAllAccountsWithClientIdAsync", hr);
    ComPtr<IFindAllAccountsResultAbi> result;
    if (!AwaitResult(op.Get(), kIID_HandlerFindAllAccountsResult, control_, "FindAllAccountsWithClientIdAsync", &result,
                     &failure))
      return failure;
    if (!result) return BrokerOutcome::Failure(codes::kBadReply, "WAM: FindAllAccountsWithClientIdAsync returned null");
    entry.status_code = -1;
    result->get_Status(&entry.status_code);
    ComPtr<IWebProviderErrorAbi> error;
    if (SUCCEEDED(result->get_ProviderError(error.Out())) && error) entry.error = ReadError(error.Get());
    ComPtr<IVectorViewAbi> list;
    if (entry.status_code != kFindAllSuccess || FAILED(result->get_Accounts(list.Out())) || !list) continue;
    UINT32 n = 0;
    list->get_Size(&n);
    for (UINT32 i = 0; i < n; ++i) {
      ComPtr<IWebAccountAbi> account;
      if (SUCCEEDED(list->GetAt(i, account.OutVoid())) && account) accounts.push_back(ReadAccount(account.Get()));
    }
  }
  return BrokerOutcome::Success(AccountsReply(accounts, providers));
}

BrokerOutcome Session::Token(const WamRequest& req, bool interactive) {
  BrokerOutcome failure;
  ComPtr<IWebAccountProviderAbi> provider;
  const std::string& authority = req.account_authority.empty() ? req.authority : req.account_authority;
  bool found = req.default_account ? FindProvider(req.default_provider_id, "", &provider, &failure)
                                   : FindProvider(req.provider_id, authority, &provider, &failure);
  if (!found) return failure;
  if (!provider) return BrokerOutcome::Failure(codes::kUnavailable, "WAM has no account provider for this request");

  ComPtr<IWebAccountAbi> account;
  if (!req.account_id.empty() && !req.default_account) {
    if (!FindAccount(provider.Get(), req.account_id, &account, &failure)) return failure;
    if (!account) return BrokerOutcome::Success(AccountNotFoundReply());
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
  return BrokerOutcome::Success(TokenReply(ReadTokenResult(result.Get())));
}

BrokerOutcome Session::SignOut(const WamRequest& req) {
  BrokerOutcome failure;
  ComPtr<IWebAccountProviderAbi> provider;
  if (!FindProvider(req.provider_id, req.authority, &provider, &failure)) return failure;
  if (!provider) return BrokerOutcome::Failure(codes::kUnavailable, "WAM has no account provider for this account");
  ComPtr<IWebAccountAbi> account;
  if (!FindAccount(provider.Get(), req.account_id, &account, &failure)) return failure;
  if (!account) return BrokerOutcome::Success(SignedOutReply(false));
  ComPtr<IWebAccount2Abi> account2;
  HRESULT hr = account.As(kIID_IWebAccount2, &account2);
  if (FAILED(hr)) return HresultFailure(codes::kOsError, "IWebAccount2", hr);
  ComPtr<IAsyncActionAbi> action;
  HString id;
  if (!ToHString(req.client_id, "clientId", &id, &failure)) return failure;
  hr = req.client_id.empty() ? account2->SignOutAsync(action.Out())
                             : account2->SignOutWithClientIdAsync(id.Get(), action.Out());
  const char* what = req.client_id.empty() ? "SignOutAsync" : "SignOutWithClientIdAsync";
  if (FAILED(hr)) return HresultFailure(codes::kOsError, what, hr);
  if (!Await(action.Get(), kIID_AsyncActionCompletedHandler, control_, what, &failure)) return failure;
  hr = action->GetResults();
  CloseAsync(action.Get());
  if (FAILED(hr)) return HresultFailure(codes::kOsError, what, hr);
  return BrokerOutcome::Success(SignedOutReply(true));
}

bool Session::CreateRequest(const WamRequest& req, IWebAccountProviderAbi* provider, ComPtr<IWebTokenRequestAbi>* out,
                            BrokerOutcome* failure) {
  ComPtr<IWebTokenRequestFactoryAbi> factory;
  HString cls = ClassName(kClassWebTokenRequest);
  HRESULT hr = RoGetActivationFactory(cls.Get(), kIID_IWebTokenRequestFactory, factory.OutVoid());
  if (FAILED(hr)) return *failure = HresultFailure(codes::kUnavailable, "activating WebTokenRequest", hr), false;
  HString scope, client_id;
  if (!ToHString(req.scope, "scope", &scope, failure) || !ToHString(req.client_id, "clientId", &client_id, failure))
    return false;
  std::int32_t prompt = req.force_prompt ? kPromptForceAuthentication : kPromptDefault;
  hr = factory->CreateWithPromptType(provider, scope.Get(), client_id.Get(), prompt, out->Out());
  if (FAILED(hr) || !*out)
    return *failure = HresultFailure(codes::kOsError, "WebTokenRequest.CreateWithPromptType", hr), false;

  ComPtr<IStringMapAbi> properties;
  hr = (*out)->get_Properties(properties.Out());
  if (FAILED(hr) || !properties)
    return *failure = HresultFailure(codes::kOsError, "WebTokenRequest.Properties", hr), false;
  if (!InsertAll(properties.Get(), req.properties, "Properties", failure)) return false;
  if (!InsertAppProperties(req, out->Get(), failure)) return false;
  // The correlation id: IWebTokenRequest3 where Windows has it, else the legacy property.
  ComPtr<IWebTokenRequest3Abi> request3;
  HString correlation;
  if (!ToHString(call_.correlation_id, "correlationId", &correlation, failure)) return false;
  if (SUCCEEDED(out->As(kIID_IWebTokenRequest3, &request3)) && request3) {
    request3->put_CorrelationId(correlation.Get());
  } else if (req.properties.count("correlationId") == 0) {
    HString key("correlationId");
    boolean replaced = 0;
    properties->Insert(key.Get(), correlation.Get(), &replaced);
  }
  return true;
}

}  // namespace wam
}  // namespace entra_broker
