// SYNTAX-CHECK DECLARATIONS ONLY (see ../README.md). Written by hand from Apple's documentation of
// AuthenticationServices (developer.apple.com/documentation/authenticationservices), macOS 10.15+;
// not Apple's header. Only the names native/mac/broker_mac.mm uses, with Apple's types and nullability.
#ifndef ENTRA_BROKER_CHECK_AUTHENTICATIONSERVICES_H_
#define ENTRA_BROKER_CHECK_AUTHENTICATIONSERVICES_H_

#import <AppKit/AppKit.h>
#import <Foundation/Foundation.h>

NS_ASSUME_NONNULL_BEGIN

// "typealias ASPresentationAnchor = NSWindow" (macOS).
typedef NSWindow* ASPresentationAnchor;

// ASAuthorization.OpenIDOperation: an extensible string enum.
typedef NSString* ASAuthorizationOpenIDOperation;
extern ASAuthorizationOpenIDOperation const ASAuthorizationOperationImplicit;
extern ASAuthorizationOpenIDOperation const ASAuthorizationOperationLogin;
extern ASAuthorizationOpenIDOperation const ASAuthorizationOperationRefresh;
extern ASAuthorizationOpenIDOperation const ASAuthorizationOperationLogout;

// ASAuthorizationError: codes in ASAuthorizationErrorDomain.
extern NSErrorDomain const ASAuthorizationErrorDomain;
typedef NS_ENUM(NSInteger, ASAuthorizationError) {
  ASAuthorizationErrorUnknown = 1000,
  ASAuthorizationErrorCanceled = 1001,
  ASAuthorizationErrorInvalidResponse = 1002,
  ASAuthorizationErrorNotHandled = 1003,
  ASAuthorizationErrorFailed = 1004,
  ASAuthorizationErrorNotInteractive = 1005,  // macOS 12.0+
};

@class ASAuthorizationController;

@protocol ASAuthorizationProvider <NSObject>
@end

@protocol ASAuthorizationCredential <NSObject, NSCopying, NSSecureCoding>
@end

@interface ASAuthorizationRequest : NSObject <NSCopying, NSSecureCoding>
@property(nonatomic, readonly, strong) id<ASAuthorizationProvider> provider;
+ (instancetype)new NS_UNAVAILABLE;
- (instancetype)init NS_UNAVAILABLE;
@end

@interface ASAuthorizationOpenIDRequest : ASAuthorizationRequest
@property(nonatomic, copy) ASAuthorizationOpenIDOperation requestedOperation;
@property(nonatomic, copy, nullable) NSString* state;
@property(nonatomic, copy, nullable) NSString* nonce;
@end

@interface ASAuthorizationSingleSignOnRequest : ASAuthorizationOpenIDRequest
@property(nonatomic, copy) NSArray<NSURLQueryItem*>* authorizationOptions;
@property(nonatomic, getter=isUserInterfaceEnabled) BOOL userInterfaceEnabled;  // macOS 12.0+
@end

@interface ASAuthorizationSingleSignOnProvider : NSObject <ASAuthorizationProvider>
+ (instancetype)authorizationProviderWithIdentityProviderURL:(NSURL*)url;
- (ASAuthorizationSingleSignOnRequest*)createRequest;
+ (instancetype)new NS_UNAVAILABLE;
- (instancetype)init NS_UNAVAILABLE;
@property(nonatomic, readonly) NSURL* url;
@property(nonatomic, readonly, assign) BOOL canPerformAuthorization;
@end

@interface ASAuthorizationSingleSignOnCredential : NSObject <ASAuthorizationCredential>
@property(nonatomic, readonly, copy, nullable) NSString* state;
@property(nonatomic, readonly, copy, nullable) NSData* accessToken;
@property(nonatomic, readonly, copy, nullable) NSData* identityToken;
@property(nonatomic, readonly, copy) NSArray<NSString*>* authorizedScopes;
@property(nonatomic, readonly, copy, nullable) NSHTTPURLResponse* authenticatedResponse;
@end

@interface ASAuthorization : NSObject
@property(nonatomic, readonly, strong) id<ASAuthorizationProvider> provider;
@property(nonatomic, readonly, strong) id<ASAuthorizationCredential> credential;
+ (instancetype)new NS_UNAVAILABLE;
- (instancetype)init NS_UNAVAILABLE;
@end

@protocol ASAuthorizationControllerDelegate <NSObject>
@optional
- (void)authorizationController:(ASAuthorizationController*)controller
    didCompleteWithAuthorization:(ASAuthorization*)authorization;
- (void)authorizationController:(ASAuthorizationController*)controller didCompleteWithError:(NSError*)error;
@end

@protocol ASAuthorizationControllerPresentationContextProviding <NSObject>
@required
- (ASPresentationAnchor)presentationAnchorForAuthorizationController:(ASAuthorizationController*)controller;
@end

@interface ASAuthorizationController : NSObject
@property(nonatomic, readonly, strong) NSArray<ASAuthorizationRequest*>* authorizationRequests;
@property(nonatomic, weak, nullable) id<ASAuthorizationControllerDelegate> delegate;
@property(nonatomic, weak, nullable) id<ASAuthorizationControllerPresentationContextProviding>
    presentationContextProvider;
- (instancetype)initWithAuthorizationRequests:(NSArray<ASAuthorizationRequest*>*)authorizationRequests;
- (void)performRequests;
- (void)cancel;  // macOS 13.0+
+ (instancetype)new NS_UNAVAILABLE;
- (instancetype)init NS_UNAVAILABLE;
@end

NS_ASSUME_NONNULL_END

#endif  // ENTRA_BROKER_CHECK_AUTHENTICATIONSERVICES_H_
