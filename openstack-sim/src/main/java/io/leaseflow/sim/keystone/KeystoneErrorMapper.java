package io.leaseflow.sim.keystone;

import io.leaseflow.sim.PublicUrl;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.util.LinkedHashMap;
import java.util.Map;

/** Renders {@link KeystoneError}; a 401 carries the WWW-Authenticate hint clients use to find Keystone. */
public class KeystoneErrorMapper {

    private final PublicUrl publicUrl;

    public KeystoneErrorMapper(PublicUrl publicUrl) {
        this.publicUrl = publicUrl;
    }

    @ServerExceptionMapper
    public Response map(KeystoneError error, UriInfo uriInfo) {
        Response.ResponseBuilder response = Response.status(error.status())
                .type(MediaType.APPLICATION_JSON_TYPE)
                .entity(body(error.status(), error.title(), error.getMessage()));
        if (error.status() == 401) {
            response.header("WWW-Authenticate", "Keystone uri=\"" + publicUrl.identity(uriInfo) + "\"");
        }
        return response.build();
    }

    public static Map<String, Object> body(int code, String title, String message) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("code", code);
        error.put("title", title);
        error.put("message", message);
        return Map.of("error", error);
    }
}
