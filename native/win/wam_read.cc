#include "wam_read.h"

#include "com.h"

namespace entra_broker {
namespace wam {

ProviderInfo ReadProvider(IWebAccountProviderAbi* provider) {
  ProviderInfo out;
  HString id, name, authority;
  provider->get_Id(id.Out());
  provider->get_DisplayName(name.Out());
  ComPtr<IWebAccountProvider2Abi> provider2;
  if (SUCCEEDED(provider->QueryInterface(kIID_IWebAccountProvider2, provider2.OutVoid())) && provider2)
    provider2->get_Authority(authority.Out());
  out.id = id.Utf8();
  out.display_name = name.Utf8();
  out.authority = authority.Utf8();
  return out;
}

AccountInfo ReadAccount(IWebAccountAbi* account) {
  AccountInfo out;
  HString user;
  account->get_UserName(user.Out());
  account->get_State(&out.state);
  out.user_name = user.Utf8();
  ComPtr<IWebAccount2Abi> account2;
  if (SUCCEEDED(account->QueryInterface(kIID_IWebAccount2, account2.OutVoid())) && account2) {
    HString id;
    account2->get_Id(id.Out());
    out.has_id = true;
    out.id = id.Utf8();
    ComPtr<IStringMapViewAbi> props;
    if (SUCCEEDED(account2->get_Properties(props.Out())) && props) out.properties = ReadStringMap(props.Get());
  }
  ComPtr<IWebAccountProviderAbi> provider;
  if (SUCCEEDED(account->get_WebAccountProvider(provider.Out())) && provider)
    out.provider.reset(new ProviderInfo(ReadProvider(provider.Get())));
  return out;
}

std::unique_ptr<ErrorInfo> ReadError(IWebProviderErrorAbi* error) {
  if (error == nullptr) return nullptr;
  std::unique_ptr<ErrorInfo> out(new ErrorInfo());
  HString message;
  error->get_ErrorCode(&out->code);
  error->get_ErrorMessage(message.Out());
  out->message = message.Utf8();
  ComPtr<IStringMapAbi> props;
  if (SUCCEEDED(error->get_Properties(props.Out())) && props) {
    out->has_properties = true;
    out->properties = ReadStringMap(props.Get());
  }
  return out;
}

TokenResultInfo ReadTokenResult(IWebTokenRequestResultAbi* result) {
  TokenResultInfo out;
  result->get_ResponseStatus(&out.status);
  ComPtr<IWebProviderErrorAbi> error;
  if (SUCCEEDED(result->get_ResponseError(error.Out())) && error) out.error = ReadError(error.Get());
  ComPtr<IVectorViewAbi> data;
  if (FAILED(result->get_ResponseData(data.Out())) || !data) return out;
  UINT32 n = 0;
  data->get_Size(&n);
  for (UINT32 i = 0; i < n; ++i) {
    ComPtr<IWebTokenResponseAbi> response;
    if (FAILED(data->GetAt(i, response.OutVoid())) || !response) continue;
    ResponseInfo r;
    HString token;
    response->get_Token(token.Out());
    r.token = token.Utf8();
    ComPtr<IStringMapAbi> props;
    if (SUCCEEDED(response->get_Properties(props.Out())) && props) {
      r.has_properties = true;
      r.properties = ReadStringMap(props.Get());
    }
    ComPtr<IWebAccountAbi> account;
    if (SUCCEEDED(response->get_WebAccount(account.Out())) && account)
      r.account.reset(new AccountInfo(ReadAccount(account.Get())));
    ComPtr<IWebProviderErrorAbi> perr;
    if (SUCCEEDED(response->get_ProviderError(perr.Out())) && perr) r.error = ReadError(perr.Get());
    out.responses.push_back(std::move(r));
  }
  return out;
}

}  // namespace wam
}  // namespace entra_broker
