package io.flexoraa.http;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.flexoraa.engine.ai.AiProfile;
import io.flexoraa.engine.ai.AiProfileRules;
import io.flexoraa.http.Problems.InvalidInput;
import io.flexoraa.persistence.ai.JdbcAiProfiles;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.javadsl.unmarshalling.Unmarshaller;

/**
 * {@code GET} and {@code PUT /api/v1/tenants/{t}/ai-profile}: the facts, tone, FAQ and wording the tenant's AI replies
 * may use (docs/decisions/0028-ai-profile-and-replies.md). A PUT replaces the whole profile after every field passed
 * {@link AiProfileRules}; a 400 names the first field that did not. What a GET returns may be PUT back as it is
 * ({@code updatedAt} and {@code updatedBy} are the store's and ignored). A tenant without a profile reads the empty
 * one.
 */
final class AiProfileRoutes extends AllDirectives {
  private static final ObjectReader BODY = Json.MAPPER.readerFor(Body.class)
      .with(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private final JdbcAiProfiles profiles;
  private final AiProfileRules rules;

  AiProfileRoutes(JdbcAiProfiles profiles, AiProfileRules rules) {
    this.profiles = profiles;
    this.rules = rules;
  }

  Map<Endpoint, ApiRouter.Handler> handlers() {
    Map<Endpoint, ApiRouter.Handler> handlers = new EnumMap<>(Endpoint.class);
    handlers.put(Endpoint.GET_AI_PROFILE, this::get);
    handlers.put(Endpoint.PUT_AI_PROFILE, this::put);
    return handlers;
  }

  /** The profile as the API shows it: the profile's fields, when and by whom it was last stored. */
  record View(
      String business, String description, List<AiProfile.Product> products, List<String> proofPoints, String tone,
      List<AiProfile.Faq> faq, List<String> competitors, Map<String, Map<String, String>> replyTemplates,
      String bookingLink, String defaultLanguage, Instant updatedAt, String updatedBy) {
    static View of(AiProfile profile, String updatedBy) {
      return new View(profile.business(), profile.description(), profile.products(), profile.proofPoints(),
          profile.tone(), profile.faq(), profile.competitors(), profile.replyTemplates(), profile.bookingLink(),
          profile.defaultLanguage(), profile.updatedAt(), updatedBy);
    }
  }

  /** The request body: a profile's fields; null entries inside lists are refused here, naming them. */
  @JsonIgnoreProperties({"updatedAt", "updatedBy"})
  record Body(
      String business, String description, List<AiProfile.Product> products, List<String> proofPoints, String tone,
      List<AiProfile.Faq> faq, List<String> competitors, Map<String, Map<String, String>> replyTemplates,
      String bookingLink, String defaultLanguage) {
    AiProfile toProfile() {
      noNullEntries("products", products);
      noNullEntries("proofPoints", proofPoints);
      noNullEntries("faq", faq);
      noNullEntries("competitors", competitors);
      if (replyTemplates != null) {
        replyTemplates.forEach((language, templates) -> {
          if (templates == null) throw new InvalidInput("replyTemplates." + language, "must be an object of templates");
          templates.forEach((key, text) -> {
            if (text == null) {
              throw new InvalidInput("replyTemplates." + language + "." + key, "must be the template's text");
            }
          });
        });
      }
      return new AiProfile(trim(business), trim(description), products, proofPoints, trim(tone), faq, competitors,
          replyTemplates, trim(bookingLink), trim(defaultLanguage), null);
    }
  }

  private Route get(ApiRouter.Call call) {
    return onSuccess(profiles.read(call.tenant().id()), stored -> complete(Json.response(StatusCodes.OK,
        stored.map(found -> View.of(found.profile(), found.updatedBy())).orElse(View.of(AiProfile.empty(), null)))));
  }

  private Route put(ApiRouter.Call call) {
    return entity(Unmarshaller.entityToString(), raw -> {
      AiProfile profile = parse(raw);
      rules.check(profile).ifPresent(violation -> {
        throw new InvalidInput(violation.field(), violation.message());
      });
      String actor = call.principal().actor();
      return onSuccess(profiles.put(call.tenant().id(), profile, actor),
          stored -> complete(Json.response(StatusCodes.OK, View.of(stored, actor))));
    });
  }

  static AiProfile parse(String raw) {
    Body body;
    try {
      body = BODY.readValue(raw);
    } catch (UnrecognizedPropertyException unknown) {
      throw new InvalidInput(path(unknown), path(unknown) + " is not a field of the AI profile");
    } catch (JsonMappingException wrongShape) {
      String field = path(wrongShape);
      throw new InvalidInput(field, field.equals("body")
          ? "request body must be a JSON object (the AI profile)"
          : field + " has the wrong type (" + expectation(wrongShape) + ")");
    } catch (JsonProcessingException unreadable) {
      throw new InvalidInput("body", "request body is not valid JSON");
    }
    if (body == null) throw new InvalidInput("body", "request body must be a JSON object (the AI profile)");
    return body.toProfile();
  }

  /** {@code products[2].price} from Jackson's path of references. */
  private static String path(JsonMappingException failure) {
    StringBuilder field = new StringBuilder();
    for (JsonMappingException.Reference reference : failure.getPath()) {
      if (reference.getFieldName() != null) {
        if (field.length() > 0) field.append('.');
        field.append(reference.getFieldName());
      } else if (reference.getIndex() >= 0) {
        field.append('[').append(reference.getIndex()).append(']');
      }
    }
    return field.length() == 0 ? "body" : field.toString();
  }

  private static String expectation(JsonMappingException failure) {
    String field = path(failure);
    if (field.endsWith(".price")) return "a number such as 4500 or 4500.50";
    if (field.equals("replyTemplates")) return "an object of languages, each an object of template keys to texts";
    return "see the AI profile's fields in the README";
  }

  private static void noNullEntries(String field, List<?> entries) {
    if (entries == null) return;
    for (int i = 0; i < entries.size(); i++) {
      if (entries.get(i) == null) throw new InvalidInput(field + "[" + i + "]", field + "[" + i + "] must not be null");
    }
  }

  /** Surrounding spaces dropped; a blank text is no text (a fact the tenant did not give). */
  private static String trim(String value) {
    return value == null || value.isBlank() ? null : value.trim();
  }
}
