package io.leaseflow.testing.fuzz;

/** One generated request body: what kind of bad it is (for the report), its bytes and the content type sent. */
public record BadInput(String kind, byte[] body, String contentType) {

    /** Short, printable description for a failure message; never the whole (possibly huge) body. */
    public String describe() {
        String text = new String(body, 0, Math.min(body.length, 160), java.nio.charset.StandardCharsets.UTF_8)
                .replaceAll("\\p{Cntrl}", "?");
        return kind + " (" + body.length + " bytes, " + contentType + "): " + text
                + (body.length > 160 ? "..." : "");
    }
}
