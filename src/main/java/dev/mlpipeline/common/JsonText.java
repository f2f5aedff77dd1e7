package dev.mlpipeline.common;

import java.io.IOException;

import jakarta.inject.Singleton;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.KeyDeserializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.deser.std.StringDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;

import io.quarkus.jackson.ObjectMapperCustomizer;

/**
 * JSON text the service accepts: no string and no object key may hold a NUL character ({@code
 * \u0000}). PostgreSQL refuses the byte in text and jsonb, and no id, name or level holds one, so it
 * is a 400 naming the field ({@link NulCharacterException}) rather than a failed query. Registered on
 * the application's ObjectMapper, and used by readers built apart from it (the predict rows).
 */
@Singleton
public class JsonText implements ObjectMapperCustomizer {

    /** Thrown while reading a string or key with a NUL character; the path names the field. */
    public static final class NulCharacterException extends JsonMappingException {
        private static final long serialVersionUID = 1L;

        NulCharacterException(JsonParser p) {
            super(p, "contains a NUL character (\\u0000), which no text may hold");
        }
    }

    /** The module: strings (typed fields and values in maps) and map keys. */
    public static SimpleModule module() {
        SimpleModule module = new SimpleModule("no-nul-text");
        module.addDeserializer(String.class, new StdScalarDeserializer<String>(String.class) {
            private static final long serialVersionUID = 1L;

            @Override
            public String deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
                String s = StringDeserializer.instance.deserialize(p, ctxt);
                if (s != null && s.indexOf('\0') >= 0) {
                    throw new NulCharacterException(p);
                }
                return s;
            }
        });
        module.addKeyDeserializer(String.class, new KeyDeserializer() {
            @Override
            public Object deserializeKey(String key, DeserializationContext ctxt) throws IOException {
                if (key.indexOf('\0') >= 0) {
                    throw new NulCharacterException(ctxt.getParser());
                }
                return key;
            }
        });
        return module;
    }

    @Override
    public void customize(ObjectMapper mapper) {
        mapper.registerModule(module());
    }
}
