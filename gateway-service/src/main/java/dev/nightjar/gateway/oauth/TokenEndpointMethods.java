package dev.nightjar.gateway.oauth;

import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The token and key endpoints are the authorization server's filters, which answer only their own methods
 * (POST, GET). Any other method falls through to here and is a 405 with {@code Allow}, like every URL of the API.
 */
@RestController
class TokenEndpointMethods {

    @RequestMapping("/oauth2/token")
    void token(HttpServletRequest request) throws HttpRequestMethodNotSupportedException {
        throw new HttpRequestMethodNotSupportedException(request.getMethod(), List.of("POST"));
    }

    @RequestMapping("/oauth2/jwks")
    void keys(HttpServletRequest request) throws HttpRequestMethodNotSupportedException {
        throw new HttpRequestMethodNotSupportedException(request.getMethod(), List.of("GET"));
    }
}
