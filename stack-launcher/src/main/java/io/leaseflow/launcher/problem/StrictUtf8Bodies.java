package io.leaseflow.launcher.problem;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.ext.Provider;
import jakarta.ws.rs.ext.ReaderInterceptor;
import jakarta.ws.rs.ext.ReaderInterceptorContext;

/**
 * Refuses JSON bodies that are not well-formed UTF-8 (RFC 3629: no overlong forms, no surrogates, nothing past
 * U+10FFFF) with a 400 problem. Jackson rejects most broken bytes but passes CESU-8 surrogates and overlong forms
 * through as replacement characters, which would then be stored.
 */
@Provider
public class StrictUtf8Bodies implements ReaderInterceptor {

    @Override
    public Object aroundReadFrom(ReaderInterceptorContext context) throws IOException {
        MediaType type = context.getMediaType();
        if (type == null || type.getSubtype().equals("json") || type.getSubtype().endsWith("+json")) {
            context.setInputStream(new Utf8CheckingStream(context.getInputStream()));
        }
        return context.proceed();
    }

    /** Passes bytes through while checking them; throws a problem at the first ill-formed sequence. */
    static final class Utf8CheckingStream extends FilterInputStream {
        private int pending;
        private int codePoint;
        private int min;
        private long offset;

        Utf8CheckingStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                check(b);
            } else {
                end();
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int off, int len) throws IOException {
            int n = super.read(buffer, off, len);
            if (n < 0) {
                end();
            }
            for (int i = 0; i < n; i++) {
                check(buffer[off + i] & 0xFF);
            }
            return n;
        }

        private void check(int b) {
            offset++;
            if (pending == 0) {
                if (b < 0x80) {
                    return;
                } else if (b >= 0xC2 && b <= 0xDF) {
                    start(1, b & 0x1F, 0x80);
                } else if (b >= 0xE0 && b <= 0xEF) {
                    start(2, b & 0x0F, 0x800);
                } else if (b >= 0xF0 && b <= 0xF4) {
                    start(3, b & 0x07, 0x10000);
                } else {
                    fail();
                }
                return;
            }
            if ((b & 0xC0) != 0x80) {
                fail();
            }
            codePoint = (codePoint << 6) | (b & 0x3F);
            if (--pending == 0 && (codePoint < min || codePoint > 0x10FFFF
                    || (codePoint >= 0xD800 && codePoint <= 0xDFFF))) {
                fail();
            }
        }

        private void start(int continuation, int bits, int minimum) {
            pending = continuation;
            codePoint = bits;
            min = minimum;
        }

        private void end() {
            if (pending != 0) {
                fail();
            }
        }

        private void fail() {
            throw new ProblemException(400, "malformed-json", "Malformed JSON",
                    "The request body is not well-formed UTF-8 (at byte " + offset + ").");
        }
    }
}
