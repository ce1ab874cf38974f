package io.flexoraa.engine.whatsapp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flexoraa.engine.whatsapp.WhatsAppWebhook.AccountChange;
import io.flexoraa.engine.whatsapp.WhatsAppWebhook.InboundMessage;
import io.flexoraa.engine.whatsapp.WhatsAppWebhook.MessagesChange;
import io.flexoraa.engine.whatsapp.WhatsAppWebhook.StatusUpdate;
import io.flexoraa.engine.whatsapp.WhatsAppWebhook.UnparsedChange;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class WhatsAppWebhookParserTest {

  /** Far from every timestamp in the fixtures, so a fallback to it cannot pass by coincidence. */
  private static final Instant RECEIVED_AT = Instant.parse("2030-01-01T00:00:00Z");

  private static final String BUSINESS_ACCOUNT = "730012345678901";
  private static final String PHONE_NUMBER_ID = "418800112233445";
  private static final String AMARA_WA_ID = "447700900123";

  private final ObjectMapper mapper = new ObjectMapper();
  private final WhatsAppWebhookParser parser = new WhatsAppWebhookParser(mapper);

  static Stream<String> fixtures() throws IOException, URISyntaxException {
    Path directory = Path.of(WhatsAppWebhookParserTest.class.getResource("/whatsapp").toURI());
    try (Stream<Path> files = Files.list(directory)) {
      return files.map(path -> path.getFileName().toString()).filter(name -> name.endsWith(".json")).sorted()
          .toList().stream();
    }
  }

  private JsonNode fixture(String name) {
    try (InputStream stream = getClass().getResourceAsStream("/whatsapp/" + name)) {
      assertThat(stream).as("fixture %s", name).isNotNull();
      return mapper.readTree(stream);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private WhatsAppWebhook parse(String fixture) {
    return parser.parse(fixture(fixture), RECEIVED_AT);
  }

  private WhatsAppWebhook parseJson(String json) {
    try {
      return parser.parse(mapper.readTree(json), RECEIVED_AT);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static MessagesChange onlyMessagesChange(WhatsAppWebhook webhook) {
    assertThat(webhook.messageChanges()).hasSize(1);
    return webhook.messageChanges().get(0);
  }

  private static InboundMessage onlyMessage(WhatsAppWebhook webhook) {
    MessagesChange change = onlyMessagesChange(webhook);
    assertThat(change.messages()).hasSize(1);
    return change.messages().get(0);
  }

  private static List<InboundMessage> messages(WhatsAppWebhook webhook) {
    return webhook.messageChanges().stream().flatMap(change -> change.messages().stream()).toList();
  }

  private static List<StatusUpdate> statuses(WhatsAppWebhook webhook) {
    return webhook.messageChanges().stream().flatMap(change -> change.statuses().stream()).toList();
  }

  private JsonNode tree(String json) {
    try {
      return mapper.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Nested
  class Senders {

    @Test
    void text_message_takes_user_id_and_profile_name_from_its_contact() {
      WhatsAppWebhook webhook = parse("text_with_contacts_bsuid.json");

      MessagesChange change = onlyMessagesChange(webhook);
      assertThat(change.businessAccountId()).isEqualTo(BUSINESS_ACCOUNT);
      assertThat(change.phoneNumberId()).isEqualTo(PHONE_NUMBER_ID);
      assertThat(change.displayPhoneNumber()).isEqualTo("15557770100");
      assertThat(change.valueErrorsJson()).isNull();
      InboundMessage message = onlyMessage(webhook);
      assertThat(message.platformMessageId()).isEqualTo("wamid.FLX.text.0001");
      assertThat(message.type()).isEqualTo("text");
      assertThat(message.sentAt()).isEqualTo(Instant.ofEpochSecond(1767225600));
      assertThat(message.fromWaId()).isEqualTo(AMARA_WA_ID);
      assertThat(message.fromUserId()).isEqualTo("GB.3081726354091827364");
      assertThat(message.profileName()).isEqualTo("Amara Okafor");
      assertThat(message.text()).isEqualTo("Is the blue one back in stock?");
      assertThat(message.contextMessageId()).isEqualTo("wamid.FLX.outbound.0099");
      assertThat(message.changedToWaId()).isNull();
      assertThat(webhook.accountChanges()).isEmpty();
      assertThat(webhook.unparsed()).isEmpty();
    }

    @Test
    void raw_json_is_the_message_object_as_received() {
      JsonNode root = fixture("wa_text_metadoc.json");
      InboundMessage message = onlyMessage(parser.parse(root, RECEIVED_AT));

      assertThat(tree(message.rawJson())).isEqualTo(root.at("/entry/0/changes/0/value/messages/0"));
      assertThat(message.profileName()).isEqualTo("Sheena Nelson");
      assertThat(message.fromWaId()).isEqualTo("16505551234");
      assertThat(message.fromUserId()).isNull();
      assertThat(message.text()).isEqualTo("Does it come in another color?");
      assertThat(message.sentAt()).isEqualTo(Instant.ofEpochSecond(1749416383));
    }

    @Test
    void raw_json_is_written_with_the_given_mapper() {
      ObjectMapper indenting = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
      InboundMessage message =
          onlyMessage(new WhatsAppWebhookParser(indenting).parse(fixture("wa_text_metadoc.json"), RECEIVED_AT));

      assertThat(message.rawJson()).contains("\n");
    }

    @Test
    void sender_known_only_by_business_scoped_user_id() {
      InboundMessage message = onlyMessage(parse("bsuid_only_sender.json"));

      assertThat(message.fromWaId()).isNull();
      assertThat(message.fromUserId()).isEqualTo("DE.7712093344558811");
      assertThat(message.profileName()).isEqualTo("Jonas Weber");
      assertThat(message.text()).isEqualTo("Hallo, ich habe eine Frage");
    }

    @Test
    void user_id_sent_in_from_is_not_taken_for_a_phone_number() {
      InboundMessage message = onlyMessage(parse("bsuid_in_from.json"));

      assertThat(message.fromWaId()).isNull();
      assertThat(message.fromUserId()).isEqualTo("MX.4455667788990011");
      assertThat(message.profileName()).isEqualTo("Lucía Romero");
    }

    @Test
    void lone_contact_fills_the_user_id_of_a_message_that_has_no_sender_field() {
      InboundMessage message = onlyMessage(parseJson("""
          {"object":"whatsapp_business_account","entry":[{"id":"730012345678901","changes":[{"field":"messages",
           "value":{"metadata":{"phone_number_id":"418800112233445"},
                    "contacts":[{"profile":{"name":"Kai"},"user_id":"NZ.1029384756"}],
                    "messages":[{"id":"wamid.FLX.lone.0001","timestamp":"1767225600","type":"text","text":{"body":"kia ora"}}]}}]}]}
          """));

      assertThat(message.fromWaId()).isNull();
      assertThat(message.fromUserId()).isEqualTo("NZ.1029384756");
      assertThat(message.profileName()).isEqualTo("Kai");
    }

    @Test
    void lone_contact_that_contradicts_the_sender_is_not_used() {
      // Taking this contact's user id would tie two people to one lead.
      InboundMessage message = onlyMessage(parseJson("""
          {"object":"whatsapp_business_account","entry":[{"id":"730012345678901","changes":[{"field":"messages",
           "value":{"metadata":{"phone_number_id":"418800112233445"},
                    "contacts":[{"profile":{"name":"Someone Else"},"wa_id":"447700900777","user_id":"GB.777"}],
                    "messages":[{"from":"447700900123","id":"wamid.FLX.lone.0002","timestamp":"1767225600",
                                 "type":"text","text":{"body":"hi"}}]}}]}]}
          """));

      assertThat(message.fromWaId()).isEqualTo(AMARA_WA_ID);
      assertThat(message.fromUserId()).isNull();
      assertThat(message.profileName()).isNull();
    }

    @Test
    void contact_is_matched_by_wa_id_among_several() {
      InboundMessage message = onlyMessage(parseJson("""
          {"object":"whatsapp_business_account","entry":[{"id":"730012345678901","changes":[{"field":"messages",
           "value":{"metadata":{"phone_number_id":"418800112233445"},
                    "contacts":[{"profile":{"name":"First"},"wa_id":"15550001111","user_id":"US.1"},
                                {"profile":{"name":"Second"},"wa_id":"15550002222","user_id":"US.2"}],
                    "messages":[{"from":"15550002222","id":"wamid.FLX.many.0001","timestamp":"1767225600",
                                 "type":"text","text":{"body":"hi"}}]}}]}]}
          """));

      assertThat(message.profileName()).isEqualTo("Second");
      assertThat(message.fromUserId()).isEqualTo("US.2");
    }
  }

  @Nested
  class Batches {

    @Test
    void two_changes_in_one_entry_give_two_messages_changes() {
      WhatsAppWebhook webhook = parse("batch_two_changes_one_entry.json");

      assertThat(webhook.messageChanges())
          .extracting(MessagesChange::businessAccountId, MessagesChange::phoneNumberId)
          .containsExactly(tuple(BUSINESS_ACCOUNT, PHONE_NUMBER_ID), tuple(BUSINESS_ACCOUNT, PHONE_NUMBER_ID));
      assertThat(messages(webhook))
          .extracting(InboundMessage::platformMessageId, InboundMessage::fromWaId, InboundMessage::profileName)
          .containsExactly(
              tuple("wamid.FLX.batch.0001", AMARA_WA_ID, "Amara Okafor"),
              tuple("wamid.FLX.batch.0002", "919820012345", "Ravi Menon"));
    }

    @Test
    void several_entries_keep_their_own_business_account() {
      WhatsAppWebhook webhook = parse("several_entries.json");

      assertThat(webhook.messageChanges())
          .extracting(MessagesChange::businessAccountId, MessagesChange::phoneNumberId)
          .containsExactly(tuple(BUSINESS_ACCOUNT, PHONE_NUMBER_ID), tuple("730099887766554", "418800998877665"));
      assertThat(webhook.messageChanges().get(0).messages()).hasSize(1);
      assertThat(webhook.messageChanges().get(1).statuses())
          .extracting(StatusUpdate::platformMessageId, StatusUpdate::status, StatusUpdate::recipientWaId)
          .containsExactly(tuple("wamid.FLX.multi.out.0002", "delivered", "12025550147"));
      assertThat(webhook.accountChanges())
          .extracting(AccountChange::businessAccountId, AccountChange::field)
          .containsExactly(tuple("730099887766554", "message_template_status_update"));
    }

    @Test
    void two_messages_with_the_same_id_are_both_returned() {
      List<InboundMessage> messages = onlyMessagesChange(parse("duplicate_message_ids.json")).messages();

      assertThat(messages).extracting(InboundMessage::platformMessageId)
          .containsExactly("wamid.FLX.dup.0001", "wamid.FLX.dup.0001");
    }
  }

  @Nested
  class Content {

    @Test
    void every_media_type_is_kept_with_its_caption_or_file_name() {
      List<InboundMessage> messages = onlyMessagesChange(parse("media_messages.json")).messages();

      assertThat(messages).extracting(InboundMessage::type, InboundMessage::text).containsExactly(
          tuple("image", "Receipt photo"),
          tuple("video", null),
          tuple("audio", null),
          tuple("document", "Invoice for March"),
          tuple("document", "terms.pdf"),
          tuple("sticker", null),
          tuple("voice", null));
    }

    @Test
    void locations_read_as_place_then_coordinates() {
      List<InboundMessage> messages = onlyMessagesChange(parse("location_messages.json")).messages();

      assertThat(messages).extracting(InboundMessage::text).containsExactly(
          "51.5007292,-0.1246254",
          "St Paul's Cathedral, St. Paul's Churchyard, London EC4M 8AD",
          "Null Island");
      assertThat(onlyMessage(parse("wa_location_request_reply_metadoc.json")).text())
          .isEqualTo("Solomon R. Guggenheim Museum, 1071 5th Ave, New York, NY 10128");
    }

    @Test
    void coordinates_are_written_without_exponent() {
      InboundMessage message = onlyMessage(parseJson("""
          {"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"messages",
           "value":{"metadata":{"phone_number_id":"2"},"messages":[{"from":"15550001111","id":"wamid.FLX.geo",
            "timestamp":"1767225600","type":"location","location":{"latitude":0.00001,"longitude":-7}}]}}]}]}
          """));

      assertThat(message.text()).isEqualTo("0.00001,-7");
    }

    @Test
    void shared_contacts_read_as_their_names() {
      assertThat(onlyMessage(parse("contacts_card.json")).text()).isEqualTo("Dr Priya Shah, Tomás Silva");
    }

    @Test
    void interactive_replies_read_as_what_the_user_chose() {
      List<InboundMessage> messages = onlyMessagesChange(parse("interactive_replies.json")).messages();

      assertThat(messages).extracting(InboundMessage::type).containsOnly("interactive");
      assertThat(messages).extracting(InboundMessage::text).containsExactly(
          "Yes, book it",
          "09:30 — Tuesday, Dr Shah",
          "11:00",
          "Sent",
          "{\"flow_token\":\"tok-78\"}");
      assertThat(messages.get(0).contextMessageId()).isEqualTo("wamid.FLX.outbound.0100");
    }

    @Test
    void interactive_replies_from_meta_documentation() {
      InboundMessage button = onlyMessage(parse("wa_interactive_button_reply_metadoc.json"));
      InboundMessage list = onlyMessage(parse("wa_interactive_list_reply_metadoc.json"));

      assertThat(button.text()).isEqualTo("Change");
      assertThat(button.contextMessageId()).isEqualTo("wamid.HBgLMTY0NjcwNDM1OTUVAgARGBJBM0Y4RUU0RUNFQkFDMjYzQUMA");
      assertThat(list.text()).isEqualTo("Priority Mail Express — Next Day to 2 Days");
      assertThat(list.profileName()).isEqualTo("Pablo Morales");
    }

    @Test
    void template_quick_reply_button_reads_as_its_label() {
      InboundMessage ours = onlyMessage(parse("button_quick_reply.json"));
      InboundMessage metaDoc = onlyMessage(parse("wa_button_i_didnt_request_code_metadoc.json"));

      assertThat(ours.type()).isEqualTo("button");
      assertThat(ours.text()).isEqualTo("Reschedule");
      assertThat(ours.contextMessageId()).isEqualTo("wamid.FLX.template.0042");
      assertThat(metaDoc.text()).isEqualTo("I didn't request a code");
    }

    @Test
    void reaction_reads_as_its_emoji_and_a_removed_reaction_as_nothing() {
      List<InboundMessage> messages = onlyMessagesChange(parse("reactions.json")).messages();

      assertThat(messages).extracting(InboundMessage::type).containsOnly("reaction");
      assertThat(messages).extracting(InboundMessage::text).containsExactly("\u2764\ufe0f", null, null);
    }

    @Test
    void order_reads_as_its_note() {
      List<InboundMessage> messages = onlyMessagesChange(parse("orders.json")).messages();

      assertThat(messages).extracting(InboundMessage::type, InboundMessage::text)
          .containsExactly(tuple("order", "Please deliver after 6pm"), tuple("order", null));
      assertThat(tree(messages.get(0).rawJson()).at("/order/product_items/0/product_retailer_id").asText())
          .isEqualTo("SKU-TEA-01");
    }

    @Test
    void referral_message_keeps_its_text_and_the_ad_in_raw_json() {
      InboundMessage message = onlyMessage(parse("wa_referral_ctwa_metadoc.json"));

      assertThat(message.type()).isEqualTo("text");
      assertThat(message.text()).isEqualTo("Can I get more info about this?");
      assertThat(tree(message.rawJson()).at("/referral/source_id").asText()).isEqualTo("120226305854810726");
    }

    @Test
    void edit_reads_as_the_new_content_and_revoke_as_nothing() {
      List<InboundMessage> messages = onlyMessagesChange(parse("edit_and_revoke.json")).messages();

      assertThat(messages).extracting(InboundMessage::type, InboundMessage::text).containsExactly(
          tuple("edit", "Is the green one back in stock?"),
          tuple("edit", "Corrected receipt"),
          tuple("revoke", null));
      assertThat(tree(messages.get(2).rawJson()).at("/revoke/original_message_id").asText())
          .isEqualTo("wamid.FLX.text.0001");
    }

    @Test
    void user_changed_number_gives_old_sender_and_new_wa_id() {
      InboundMessage message = onlyMessage(parse("wa_system_user_changed_number_metadoc.json"));

      assertThat(message.type()).isEqualTo("system");
      assertThat(message.fromWaId()).isEqualTo("16505551234");
      assertThat(message.changedToWaId()).isEqualTo("12195555358");
      assertThat(message.profileName()).isNull();
      assertThat(message.text()).isEqualTo("User Sheena Nelson changed from 16505551234 to 12195555358");
    }

    @Test
    void legacy_customer_changed_number_is_a_number_change_and_identity_change_is_not() {
      List<InboundMessage> messages = onlyMessagesChange(parse("system_messages.json")).messages();

      assertThat(messages).extracting(InboundMessage::fromWaId, InboundMessage::changedToWaId, InboundMessage::text)
          .containsExactly(
              tuple(AMARA_WA_ID, "447700900999", "Amara changed from 447700900123 to 447700900999"),
              tuple("447700900999", null, "User identity changed"));
    }

    @Test
    void unsupported_message_is_kept_with_its_errors_in_raw_json() {
      InboundMessage message = onlyMessage(parse("unsupported_with_errors.json"));

      assertThat(message.type()).isEqualTo("unsupported");
      assertThat(message.text()).isNull();
      assertThat(tree(message.rawJson()).at("/errors/0/code").asInt()).isEqualTo(131051);
      assertThat(tree(message.rawJson()).at("/unsupported/type").asText()).isEqualTo("poll_creation");
    }

    @Test
    void unknown_future_type_is_kept_as_given_and_a_missing_type_is_unknown() {
      List<InboundMessage> messages = onlyMessagesChange(parse("unknown_future_type.json")).messages();

      assertThat(messages).extracting(InboundMessage::type, InboundMessage::text)
          .containsExactly(tuple("hologram", null), tuple("unknown", null));
      assertThat(tree(messages.get(0).rawJson()).at("/hologram/duration_seconds").asInt()).isEqualTo(12);
    }
  }

  @Nested
  class Statuses {

    @Test
    void delivery_lifecycle_with_pricing_errors_and_recipients() {
      List<StatusUpdate> statuses = onlyMessagesChange(parse("statuses_lifecycle.json")).statuses();

      assertThat(statuses)
          .extracting(StatusUpdate::platformMessageId, StatusUpdate::status, StatusUpdate::at,
              StatusUpdate::recipientWaId, StatusUpdate::recipientUserId)
          .containsExactly(
              tuple("wamid.FLX.out.0200", "sent", Instant.ofEpochSecond(1767229200), AMARA_WA_ID, null),
              tuple("wamid.FLX.out.0200", "delivered", Instant.ofEpochSecond(1767229205), AMARA_WA_ID, null),
              tuple("wamid.FLX.out.0200", "read", Instant.ofEpochSecond(1767229260), AMARA_WA_ID, null),
              tuple("wamid.FLX.out.0201", "failed", Instant.ofEpochSecond(1767229300), AMARA_WA_ID, null),
              tuple("wamid.FLX.out.0202", "delivered", Instant.ofEpochSecond(1767229400), null,
                  "GB.3081726354091827364"),
              tuple("wamid.FLX.out.0203", "read", Instant.ofEpochSecond(1767229500), null, "GB.3081726354091827364"),
              tuple("wamid.FLX.out.0204", "read", Instant.ofEpochSecond(1767229600), "919820012345",
                  "IN.6655443322110099"),
              tuple("wamid.FLX.out.0205", "reverberated", Instant.ofEpochSecond(1767229700), AMARA_WA_ID, null));

      StatusUpdate sent = statuses.get(0);
      assertThat(tree(sent.pricingJson()))
          .isEqualTo(tree("{\"billable\":true,\"pricing_model\":\"PMP\",\"type\":\"regular\",\"category\":\"utility\"}"));
      assertThat(sent.errorsJson()).isNull();
      assertThat(tree(sent.rawJson()).at("/conversation/id").asText()).isEqualTo("conv-7f3a");

      StatusUpdate failed = statuses.get(3);
      assertThat(tree(failed.errorsJson()).at("/0/code").asInt()).isEqualTo(131047);
      assertThat(failed.pricingJson()).isNull();
    }

    @Test
    void statuses_from_meta_documentation() {
      StatusUpdate delivered = onlyMessagesChange(parse("wa_status_delivered_metadoc.json")).statuses().get(0);
      StatusUpdate sentPerMessagePricing = onlyMessagesChange(parse("wa_status_sent_pmp_metadoc.json")).statuses().get(0);
      StatusUpdate failed = onlyMessagesChange(parse("wa_status_failed_131049_metadoc.json")).statuses().get(0);
      StatusUpdate sentWithoutPricing =
          onlyMessagesChange(parse("wa_status_sent_v24_no_pricing_metadoc.json")).statuses().get(0);

      assertThat(delivered.status()).isEqualTo("delivered");
      assertThat(delivered.recipientWaId()).isEqualTo("16505551234");
      assertThat(delivered.at()).isEqualTo(Instant.ofEpochSecond(1750263773));
      assertThat(tree(delivered.pricingJson()).path("category").asText()).isEqualTo("service");
      assertThat(tree(sentPerMessagePricing.pricingJson()).path("pricing_model").asText()).isEqualTo("PMP");
      assertThat(tree(failed.errorsJson()).at("/0/code").asInt()).isEqualTo(131049);
      assertThat(sentWithoutPricing.pricingJson()).isNull();
      assertThat(sentWithoutPricing.errorsJson()).isNull();
    }
  }

  @Nested
  class AccountLevel {

    @Test
    void non_message_fields_become_account_changes_with_their_value() {
      WhatsAppWebhook webhook = parse("account_changes.json");

      assertThat(webhook.messageChanges()).isEmpty();
      assertThat(webhook.unparsed()).isEmpty();
      assertThat(webhook.accountChanges())
          .extracting(AccountChange::businessAccountId, AccountChange::field)
          .containsExactly(
              tuple(BUSINESS_ACCOUNT, "account_update"),
              tuple(BUSINESS_ACCOUNT, "message_template_quality_update"),
              tuple(BUSINESS_ACCOUNT, "phone_number_quality_update"),
              tuple(BUSINESS_ACCOUNT, "quantum_entanglement_update"));
      assertThat(tree(webhook.accountChanges().get(0).valueJson()))
          .isEqualTo(tree("{\"event\":\"ACCOUNT_VIOLATION\",\"violation_info\":{\"violation_type\":\"SCAM\"}}"));
    }

    @Test
    void account_level_changes_from_meta_documentation() {
      assertThat(parse("wa_account_update_disabled_ban_metadoc.json").accountChanges())
          .extracting(AccountChange::businessAccountId, AccountChange::field)
          .containsExactly(tuple("102290129340398", "account_update"));
      assertThat(parse("wa_template_status_approved_metadoc.json").accountChanges())
          .extracting(AccountChange::field).containsExactly("message_template_status_update");
      // Meta's quality-update example is labelled with the status-update field; the field is kept as sent.
      assertThat(parse("wa_template_quality_update_metadoc.json").accountChanges())
          .extracting(AccountChange::field).containsExactly("message_template_status_update");
      assertThat(parse("wa_phone_number_quality_update_throughput_metadoc.json").accountChanges())
          .extracting(AccountChange::field).containsExactly("phone_number_quality_update");
    }

    @Test
    void history_and_user_preferences_are_account_changes_even_with_metadata_and_messages() {
      WhatsAppWebhook history = parse("wa_history_media_message_metadoc.json");
      WhatsAppWebhook preferences = parse("wa_user_preferences_resume_metadoc.json");

      assertThat(history.messageChanges()).isEmpty();
      assertThat(history.accountChanges()).extracting(AccountChange::field).containsExactly("history");
      assertThat(tree(history.accountChanges().get(0).valueJson()).at("/messages/0/image/caption").asText())
          .isEqualTo("Black Prince echeveria");
      assertThat(preferences.messageChanges()).isEmpty();
      assertThat(preferences.accountChanges()).extracting(AccountChange::field).containsExactly("user_preferences");
    }

    @Test
    void value_level_errors_are_kept_on_the_messages_change() {
      MessagesChange change = onlyMessagesChange(parse("value_level_errors.json"));

      assertThat(change.messages()).isEmpty();
      assertThat(change.statuses()).isEmpty();
      assertThat(tree(change.valueErrorsJson()).at("/0/code").asInt()).isEqualTo(131000);
    }

    @Test
    void body_without_object_is_parsed_when_its_entries_carry_changes() {
      WhatsAppWebhook webhook = parse("wa_account_update_partner_added_no_object_metadoc.json");

      assertThat(webhook.unparsed()).isEmpty();
      assertThat(webhook.accountChanges())
          .extracting(AccountChange::businessAccountId, AccountChange::field)
          .containsExactly(tuple("2949482758682047", "account_update"));
    }
  }

  @Nested
  class Malformed {

    @Test
    void change_whose_field_sits_on_the_entry_is_unparsed() {
      WhatsAppWebhook webhook = parse("wa_account_update_partner_app_installed_malformed_metadoc.json");

      assertThat(webhook.accountChanges()).isEmpty();
      assertThat(webhook.unparsed()).singleElement().satisfies(unparsed -> {
        assertThat(unparsed.reason()).startsWith("change without field").contains("2949482758682047");
        assertThat(tree(unparsed.json()).at("/value/event").asText()).isEqualTo("PARTNER_APP_INSTALLED");
      });
    }

    @Test
    void messages_change_without_phone_number_id_is_unparsed_and_the_rest_still_parsed() {
      WhatsAppWebhook webhook = parse("malformed_no_metadata.json");

      assertThat(webhook.unparsed()).extracting(UnparsedChange::reason).containsExactly(
          "messages change without metadata.phone_number_id (business account " + BUSINESS_ACCOUNT + ")",
          "messages change without metadata.phone_number_id (business account " + BUSINESS_ACCOUNT + ")");
      assertThat(tree(webhook.unparsed().get(0).json()).at("/value/messages/0/id").asText())
          .isEqualTo("wamid.FLX.nometa.0001");
      assertThat(messages(webhook)).extracting(InboundMessage::platformMessageId)
          .containsExactly("wamid.FLX.nometa.0003");
    }

    @Test
    void entries_without_usable_changes_are_unparsed() {
      WhatsAppWebhook webhook = parse("malformed_entries.json");

      assertThat(webhook.unparsed()).extracting(UnparsedChange::reason).containsExactly(
          "entry without changes (business account " + BUSINESS_ACCOUNT + ")",
          "entry changes is not an array (business account " + BUSINESS_ACCOUNT + ")",
          "entry is not an object");
      assertThat(webhook.unparsed().get(2).json()).isEqualTo("\"not an entry\"");
      assertThat(messages(webhook)).extracting(InboundMessage::text).containsExactly("survivor");
    }

    @Test
    void changes_without_field_or_value_are_unparsed_and_unknown_keys_reported() {
      WhatsAppWebhook webhook = parse("malformed_changes.json");

      assertThat(webhook.unparsed()).extracting(UnparsedChange::reason).containsExactly(
          "change is not an object (business account " + BUSINESS_ACCOUNT + ")",
          "change without field (business account " + BUSINESS_ACCOUNT + ")",
          "change without value (business account " + BUSINESS_ACCOUNT + ")",
          "change without value (business account " + BUSINESS_ACCOUNT + ")",
          "change without field (business account " + BUSINESS_ACCOUNT + ")",
          "messages change carries unrecognised keys [message_echoes] (business account " + BUSINESS_ACCOUNT
              + ", phone number id " + PHONE_NUMBER_ID + ")");
      assertThat(tree(webhook.unparsed().get(5).json()).at("/message_echoes/0/id").asText())
          .isEqualTo("wamid.FLX.echo.0001");
      assertThat(webhook.accountChanges()).isEmpty();
      assertThat(messages(webhook)).extracting(InboundMessage::platformMessageId)
          .containsExactly("wamid.FLX.changes.0001");
    }

    @Test
    void fields_that_should_be_arrays_are_unparsed_without_losing_the_change() {
      WhatsAppWebhook webhook = parse("malformed_non_array_fields.json");

      assertThat(webhook.unparsed()).extracting(UnparsedChange::reason).allSatisfy(reason ->
          assertThat(reason).endsWith("(business account " + BUSINESS_ACCOUNT + ", phone number id "
              + PHONE_NUMBER_ID + ")"));
      assertThat(webhook.unparsed()).extracting(unparsed -> unparsed.reason().split(" \\(")[0]).containsExactly(
          "value.contacts is not an array",
          "value.messages is not an array",
          "value.statuses is not an array",
          "value.messages element is not an object");
      assertThat(tree(webhook.unparsed().get(1).json()).path("id").asText()).isEqualTo("wamid.FLX.nonarray.0001");
      assertThat(webhook.messageChanges()).hasSize(2);
      assertThat(messages(webhook)).extracting(InboundMessage::platformMessageId)
          .containsExactly("wamid.FLX.nonarray.0002");
    }

    @Test
    void messages_and_statuses_without_id_or_sender_are_unparsed() {
      WhatsAppWebhook webhook = parse("malformed_messages_and_statuses.json");

      MessagesChange change = onlyMessagesChange(webhook);
      assertThat(change.messages()).isEmpty();
      assertThat(change.statuses()).isEmpty();
      assertThat(webhook.unparsed()).extracting(unparsed -> unparsed.reason().split(" \\(")[0]).containsExactly(
          "message without id", "message without sender", "status without id", "status without status value");
      assertThat(tree(webhook.unparsed().get(1).json()).path("id").asText()).isEqualTo("wamid.FLX.nosender.0001");
    }

    @Test
    void missing_or_unreadable_timestamps_fall_back_to_reception_time() {
      MessagesChange change = onlyMessagesChange(parse("missing_timestamps.json"));

      assertThat(change.messages()).extracting(InboundMessage::sentAt).containsExactly(
          RECEIVED_AT, RECEIVED_AT, Instant.ofEpochSecond(1767225600), RECEIVED_AT);
      assertThat(change.statuses()).extracting(StatusUpdate::at).containsExactly(RECEIVED_AT, RECEIVED_AT);
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"0\"", "0", "-5", "\"-5\"", "\"1767225600.5\"", "99999999999999999999999",
        "\"99999999999999999999999\"", "9223372036854775807", "true", "null"})
    void implausible_timestamps_fall_back_to_reception_time(String timestamp) {
      InboundMessage message = onlyMessage(parseJson("""
          {"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"messages",
           "value":{"metadata":{"phone_number_id":"2"},"messages":[{"from":"15550001111","id":"wamid.FLX.ts",
            "timestamp":%s,"type":"text","text":{"body":"x"}}]}}]}]}
          """.formatted(timestamp)));

      assertThat(message.sentAt()).isEqualTo(RECEIVED_AT);
    }

    @Test
    void object_other_than_whatsapp_business_account_is_unparsed_whole() {
      JsonNode root = fixture("wrong_object.json");
      WhatsAppWebhook webhook = parser.parse(root, RECEIVED_AT);

      assertThat(webhook.messageChanges()).isEmpty();
      assertThat(webhook.accountChanges()).isEmpty();
      assertThat(webhook.unparsed()).singleElement().satisfies(unparsed -> {
        assertThat(unparsed.reason()).isEqualTo("object is not whatsapp_business_account: \"instagram\"");
        assertThat(tree(unparsed.json())).isEqualTo(root);
      });
    }

    @Test
    void body_without_object_that_does_not_look_like_whatsapp_is_unparsed_whole() {
      WhatsAppWebhook webhook = parse("no_object_messenger_shape.json");

      assertThat(webhook.unparsed()).extracting(UnparsedChange::reason)
          .containsExactly("object is missing and no entry carries changes");
    }

    @Test
    void body_without_object_whose_field_is_not_whatsapp_is_not_claimed() {
      WhatsAppWebhook webhook = parse("no_object_instagram_comment_shape.json");

      assertThat(webhook.accountChanges()).isEmpty();
      assertThat(webhook.unparsed()).extracting(UnparsedChange::reason).containsExactly(
          "object is missing and comments is not a WhatsApp field (business account 17841400000000077)");
    }

    @ParameterizedTest
    @ValueSource(strings = {"[]", "[{\"object\":\"whatsapp_business_account\"}]", "\"text\"", "42", "true", "null"})
    void body_that_is_not_an_object_is_unparsed(String json) {
      WhatsAppWebhook webhook = parseJson(json);

      assertThat(webhook.unparsed()).singleElement().satisfies(unparsed -> {
        assertThat(unparsed.reason()).isEqualTo("body is not a JSON object");
        assertThat(tree(unparsed.json())).isEqualTo(tree(json));
      });
    }

    @Test
    void missing_root_is_unparsed() {
      assertThat(parser.parse(null, RECEIVED_AT).unparsed()).extracting(UnparsedChange::reason, UnparsedChange::json)
          .containsExactly(tuple("body is not a JSON object", "null"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{\"object\":\"whatsapp_business_account\"}",
        "{\"object\":\"whatsapp_business_account\",\"entry\":{}}",
        "{\"object\":\"whatsapp_business_account\",\"entry\":[]}",
        "{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"1\",\"changes\":[]}]}",
        "{\"object\":42,\"entry\":[]}",
        "{}"})
    void body_without_any_change_is_unparsed_whole(String json) {
      WhatsAppWebhook webhook = parseJson(json);

      assertThat(webhook.messageChanges()).isEmpty();
      assertThat(webhook.accountChanges()).isEmpty();
      assertThat(webhook.unparsed()).singleElement()
          .satisfies(unparsed -> assertThat(tree(unparsed.json())).isEqualTo(tree(json)));
    }
  }

  @Nested
  class EveryFixture {

    @Test
    void there_are_fixtures_to_check() throws Exception {
      assertThat(fixtures()).hasSizeGreaterThan(40);
    }

    /**
     * Every message, status and non-message change of the POST lands in exactly one place: parsed (once) or inside
     * an unparsed item. Computed from the raw tree, independently of the parser's own walk.
     */
    @ParameterizedTest
    @MethodSource("io.flexoraa.engine.whatsapp.WhatsAppWebhookParserTest#fixtures")
    void nothing_is_lost_and_nothing_reported_twice(String fixture) {
      JsonNode root = fixture(fixture);
      WhatsAppWebhook webhook = parser.parse(root, RECEIVED_AT);

      List<JsonNode> parsed = new ArrayList<>();
      webhook.messageChanges().forEach(change -> {
        change.messages().forEach(message -> parsed.add(tree(message.rawJson())));
        change.statuses().forEach(status -> parsed.add(tree(status.rawJson())));
      });
      webhook.accountChanges().forEach(change -> parsed.add(tree(change.valueJson())));
      List<JsonNode> unparsed = webhook.unparsed().stream().map(item -> tree(item.json())).toList();

      for (JsonNode item : deliveredItems(root)) {
        boolean wasParsed = parsed.remove(item);
        boolean keptUnparsed = unparsed.stream().anyMatch(node -> containsSubtree(node, item));
        assertThat(wasParsed ^ keptUnparsed).as("%s: exactly one place for %s", fixture, item).isTrue();
      }
      assertThat(parsed).as("%s: parsed items that were not in the POST", fixture).isEmpty();
      assertThat(webhook.unparsed()).extracting(UnparsedChange::reason).noneMatch(reason -> reason.startsWith("parser"));
    }

    private static List<JsonNode> deliveredItems(JsonNode root) {
      List<JsonNode> items = new ArrayList<>();
      for (JsonNode entry : root.path("entry")) {
        for (JsonNode change : entry.path("changes")) {
          boolean messages = "messages".equals(change.path("field").textValue())
              && change.path("value").path("metadata").path("phone_number_id").isValueNode();
          if (!messages) {
            items.add(change.has("value") ? change.get("value") : change);
            continue;
          }
          for (String key : List.of("messages", "statuses")) {
            JsonNode array = change.path("value").path(key);
            if (array.isArray()) {
              array.forEach(items::add);
            }
          }
        }
      }
      return items;
    }

    private static boolean containsSubtree(JsonNode haystack, JsonNode needle) {
      if (haystack.equals(needle)) {
        return true;
      }
      for (JsonNode child : haystack) {
        if (containsSubtree(child, needle)) {
          return true;
        }
      }
      return false;
    }

    /** Replaces every node of every fixture, in turn, with values of the wrong kind: the parser must cope. */
    @ParameterizedTest
    @MethodSource("io.flexoraa.engine.whatsapp.WhatsAppWebhookParserTest#fixtures")
    void never_throws_when_any_node_has_the_wrong_kind(String fixture) {
      JsonNode original = fixture(fixture);
      List<List<Object>> paths = new ArrayList<>();
      collectPaths(original, new ArrayList<>(), paths);
      List<JsonNode> replacements = List.of(
          mapper.nullNode(), mapper.getNodeFactory().numberNode(7), mapper.getNodeFactory().numberNode(-1.5e300),
          mapper.getNodeFactory().textNode(""), mapper.getNodeFactory().textNode("x"),
          mapper.createArrayNode(), mapper.createObjectNode());

      for (List<Object> path : paths) {
        for (JsonNode replacement : replacements) {
          JsonNode mutated = original.deepCopy();
          replace(mutated, path, replacement);
          assertThatCode(() -> {
            WhatsAppWebhook webhook = parser.parse(mutated, RECEIVED_AT);
            assertThat(webhook.unparsed()).extracting(UnparsedChange::reason)
                .noneMatch(reason -> reason.startsWith("parser failure"));
            assertThat(webhook.messageChanges().size() + webhook.accountChanges().size() + webhook.unparsed().size())
                .isPositive();
          }).as("%s with %s at %s", fixture, replacement, path).doesNotThrowAnyException();
        }
      }
    }

    private static void collectPaths(JsonNode node, List<Object> path, List<List<Object>> paths) {
      if (node.isObject()) {
        for (Map.Entry<String, JsonNode> field : node.properties()) {
          List<Object> child = new ArrayList<>(path);
          child.add(field.getKey());
          paths.add(child);
          collectPaths(field.getValue(), child, paths);
        }
      } else if (node.isArray()) {
        for (int index = 0; index < node.size(); index++) {
          List<Object> child = new ArrayList<>(path);
          child.add(index);
          paths.add(child);
          collectPaths(node.get(index), child, paths);
        }
      }
    }

    private static void replace(JsonNode root, List<Object> path, JsonNode replacement) {
      JsonNode parent = root;
      for (Object step : path.subList(0, path.size() - 1)) {
        parent = step instanceof Integer index ? parent.get(index) : parent.get((String) step);
      }
      Object last = path.get(path.size() - 1);
      if (last instanceof Integer index) {
        ((ArrayNode) parent).set(index, replacement);
      } else {
        ((ObjectNode) parent).set((String) last, replacement);
      }
    }
  }
}
