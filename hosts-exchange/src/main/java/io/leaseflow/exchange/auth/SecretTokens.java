package io.leaseflow.exchange.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

/** Join tokens and member secrets: 256 random bits handed out once, kept only as a SHA-256 hash. */
public final class SecretTokens {

    private static final SecureRandom RANDOM = new SecureRandom();

    private SecretTokens() {
    }

    public static String generate() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    public static byte[] hash(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM ships SHA-256", e);
        }
    }

    /** The hash as it travels in events: base64url without padding (43 characters). */
    public static String encode(byte[] hash) {
        return hash == null ? null : Base64.getUrlEncoder().withoutPadding().encodeToString(hash);
    }

    public static byte[] decode(String encodedHash) {
        return encodedHash == null ? null : Base64.getUrlDecoder().decode(encodedHash);
    }

    /** Constant-time equality of two hashes; false when either is missing. */
    public static boolean sameHash(byte[] a, byte[] b) {
        return a != null && b != null && MessageDigest.isEqual(a, b);
    }

    /** Compares hashes in constant time, so response timing reveals nothing about the stored secret. */
    public static boolean matches(String presented, byte[] expectedHash) {
        if (presented == null || presented.isEmpty() || expectedHash == null) {
            return false;
        }
        return MessageDigest.isEqual(hash(presented), expectedHash);
    }
}
