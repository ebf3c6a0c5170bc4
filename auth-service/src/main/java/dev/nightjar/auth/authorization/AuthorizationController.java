package dev.nightjar.auth.authorization;

import dev.nightjar.common.contract.AuthContract;
import dev.nightjar.common.contract.AuthContract.AuthorizeRequest;
import dev.nightjar.common.contract.AuthContract.AuthorizeResponse;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** Authorizations for transaction-service. */
@RestController
class AuthorizationController {

    private final AuthorizationService authorizations;

    AuthorizationController(AuthorizationService authorizations) {
        this.authorizations = authorizations;
    }

    @PostMapping(AuthContract.AUTHORIZATIONS)
    AuthorizeResponse authorize(@RequestBody AuthorizeRequest request) {
        return authorizations.authorize(request);
    }
}
