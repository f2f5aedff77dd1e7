package dev.mlpipeline.common;

import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import io.smallrye.config.ConfigMapping;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every key of {@link MlpipelineConfig} is documented: in the README's configuration table and in
 * {@code application.properties} (set, or commented out where the default applies).
 */
class ConfigDocumentationTest {

    @Test
    void everyKeyIsInTheReadmeTable() throws IOException {
        String readme = Files.readString(Path.of("README.md"));
        Set<String> documented = new TreeSet<>();
        Matcher m = Pattern.compile("(?m)^\\| `(mlpipeline\\.[a-z0-9.-]+)`").matcher(readme);
        while (m.find()) {
            documented.add(m.group(1));
        }
        Set<String> missing = new TreeSet<>(keys());
        missing.removeAll(documented);
        assertEquals(Set.of(), missing, "keys of MlpipelineConfig missing from the README's configuration table");
        Set<String> unknown = new TreeSet<>(documented);
        unknown.removeAll(keys());
        assertEquals(Set.of(), unknown, "README documents keys that MlpipelineConfig does not have");
    }

    @Test
    void everyKeyIsInApplicationProperties() throws IOException {
        String properties = Files.readString(Path.of("src/main/resources/application.properties"));
        List<String> missing = new ArrayList<>();
        for (String key : keys()) {
            if (!Pattern.compile("(?m)^#?\\s*(%\\w+\\.)?" + Pattern.quote(key) + "=").matcher(properties).find()) {
                missing.add(key);
            }
        }
        assertEquals(List.of(), missing, "keys missing from application.properties (list them, commented out at their default)");
    }

    @Test
    void theWalkFindsNestedGroups() {
        assertTrue(keys().contains("mlpipeline.jobs.heartbeat-timeout"));
        assertTrue(keys().contains("mlpipeline.embedded-postgres.data-dir"));
        assertTrue(keys().contains("mlpipeline.instance-id"));
    }

    static Set<String> keys() {
        Set<String> keys = new TreeSet<>();
        collect(MlpipelineConfig.class, MlpipelineConfig.class.getAnnotation(ConfigMapping.class).prefix(), keys);
        return keys;
    }

    private static void collect(Class<?> group, String prefix, Set<String> keys) {
        for (Method method : group.getDeclaredMethods()) {
            if (method.isDefault() || Modifier.isStatic(method.getModifiers()) || method.getParameterCount() > 0) {
                continue;
            }
            String key = prefix + "." + kebab(method.getName());
            Class<?> type = method.getReturnType();
            if (type.isInterface() && type.getEnclosingClass() == MlpipelineConfig.class) {
                collect(type, key, keys);
            } else {
                keys.add(key);
            }
        }
    }

    private static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(java.util.Locale.ROOT);
    }
}
