package io.flexoraa.engine.meta;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flexoraa.engine.meta.MessagingWebhook.AccountEvent;
import io.flexoraa.engine.meta.MessagingWebhook.Deleted;
import io.flexoraa.engine.meta.MessagingWebhook.Delivery;
import io.flexoraa.engine.meta.MessagingWebhook.Echo;
import io.flexoraa.engine.meta.MessagingWebhook.Inbound;
import io.flexoraa.engine.meta.MessagingWebhook.NotificationOptIn;
import io.flexoraa.engine.meta.MessagingWebhook.Read;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every Instagram and Messenger shape in our fixtures (copies of public payloads with our own ids and texts, and
 * Meta's documentation examples as printed) is taken apart into the right item, or kept with a reason.
 */
class MessagingWebhookParserTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final String IG = "17841400000000001";
  private static final String PAGE = "108000000000001";
  private final MessagingWebhookParser parser = new MessagingWebhookParser();

  private MessagingWebhook parse(String fixture) {
    try (InputStream in = getClass().getResourceAsStream("/" + fixture)) {
      JsonNode root = MAPPER.readTree(in);
      return parser.parse(root.isArray() ? root.get(0) : root);
    } catch (IOException e) {
      throw new AssertionError(fixture, e);
    }
  }

  private <T> T only(String fixture, Class<T> kind) {
    MessagingWebhook webhook = parse(fixture);
    assertThat(webhook.unparsed()).as(fixture).isEmpty();
    assertThat(webhook.items()).as(fixture).hasSize(1);
    assertThat(webhook.items().get(0)).as(fixture).isInstanceOf(kind);
    return kind.cast(webhook.items().get(0));
  }

  @Test
  void instagramDirectMessagesOfEveryKind() {
    Inbound text = only("instagram/ig_text.json", Inbound.class);
    assertThat(text.accountId()).isEqualTo(IG);
    assertThat(text.senderId()).isEqualTo("6200000000000001");
    assertThat(text.platformMessageId()).isEqualTo("m_ig_text");
    assertThat(text.type()).isEqualTo("text");
    assertThat(text.text()).isEqualTo("Hi, is the teak bookshelf still available?");
    assertThat(text.sentAt()).isEqualTo(Instant.ofEpochMilli(1459991487970L));
    assertThat(parse("instagram/ig_text.json").channel()).isEqualTo("instagram");

    assertThat(only("instagram/ig_attachment_image.json", Inbound.class).type()).isEqualTo("image");
    assertThat(only("instagram/ig_attachment_share.json", Inbound.class).type()).isEqualTo("share");
    Inbound heart = only("instagram/ig_like_heart.json", Inbound.class);
    assertThat(heart.type()).isEqualTo("like_heart");
    assertThat(heart.text()).isEqualTo("\u2764\ufe0f");
    assertThat(only("instagram/ig_story_mention.json", Inbound.class).type()).isEqualTo("story_mention");

    Inbound storyReply = only("instagram/ig_story_reply.json", Inbound.class);
    assertThat(storyReply.type()).isEqualTo("story_reply");
    assertThat(storyReply.contextMessageId()).isEqualTo(IG);
    assertThat(storyReply.sentAt()).isEqualTo(Instant.parse("2021-09-08T06:34:04Z"));
    assertThat(parse("instagram/ig_story_reply.json").channel()).as("no object in the body").isNull();

    Inbound icebreaker = only("instagram/ig_postback_icebreaker.json", Inbound.class);
    assertThat(icebreaker.type()).isEqualTo("postback");
    assertThat(icebreaker.text()).isEqualTo("What are your store hours?");
    assertThat(icebreaker.platformMessageId()).startsWith("postback:")
        .isEqualTo(only("instagram/ig_postback_icebreaker.json", Inbound.class).platformMessageId());

    Inbound standby = only("instagram/ig_standby.json", Inbound.class);
    assertThat(standby.standby()).isTrue();
    assertThat(text.standby()).isFalse();

    Inbound reaction = only("instagram/ig_reaction.json", Inbound.class);
    assertThat(reaction.type()).isEqualTo("reaction");
    assertThat(reaction.text()).isEqualTo("\u2764\ufe0f");
    assertThat(reaction.contextMessageId()).isEqualTo("m_ig_text");
    Inbound unreact = only("instagram/ig_unreact.json", Inbound.class);
    assertThat(unreact.type()).isEqualTo("unreaction");
    assertThat(unreact.text()).isNull();
    assertThat(unreact.platformMessageId()).isNotEqualTo(reaction.platformMessageId());

    assertThat(only("instagram/ig_dashboard_test_event_messaging.json", Inbound.class).sentAt())
        .as("a numeric string in seconds").isEqualTo(Instant.ofEpochSecond(1527459824L));
    assertThat(parse("instagram/ig_duplicate_mid_two_entries.json").items()).hasSize(2)
        .allSatisfy(item -> assertThat(((Inbound) item).platformMessageId()).isEqualTo("m_ig_duplicate_mid_two_entries"));
  }

  @Test
  void instagramEchoesSeenAndUnsentMessages() {
    Echo echo = only("instagram/ig_echo.json", Echo.class);
    assertThat(echo.recipientId()).as("sent the wrong way round: the person is the sender").isEqualTo("6200000000000001");
    assertThat(echo.platformMessageId()).isEqualTo("m_ig_echo");
    Echo storyEcho = only("instagram/ig_story_mention_echo.json", Echo.class);
    assertThat(storyEcho.type()).isEqualTo("story_mention");
    assertThat(storyEcho.recipientId()).isEqualTo("6200000000000002");

    Read seen = only("instagram/ig_messaging_seen.json", Read.class);
    assertThat(seen.mid()).isEqualTo("m_ig_messaging_seen");
    assertThat(seen.watermark()).isNull();
    assertThat(only("instagram/ig_message_deleted.json", Deleted.class).mid()).isEqualTo("m_ig_message_deleted");
    assertThat(only("instagram/ig_unsend_is_deleted.json", Deleted.class).senderId()).isEqualTo("6200000000000002");
  }

  @Test
  void instagramCommentsMentionsAndInsights() {
    Inbound comment = only("instagram/ig_comment.json", Inbound.class);
    assertThat(comment.type()).isEqualTo("comment");
    assertThat(comment.platformMessageId()).isEqualTo("17865799348089039");
    assertThat(comment.senderId()).isEqualTo("232323232");
    assertThat(comment.contextMessageId()).isEqualTo("1231231234");
    assertThat(comment.profileName()).isEqualTo("test");
    assertThat(comment.text()).isEqualTo("This is an example.");
    assertThat(comment.rawJson()).contains("123123123"); // the media id stays with the comment
    assertThat(comment.sentAt()).as("entry.time in seconds").isEqualTo(Instant.ofEpochSecond(1767225600L));

    AccountEvent own = only("instagram/ig_comment_by_account.json", AccountEvent.class);
    assertThat(own.field()).isEqualTo("comments");
    AccountEvent mention = only("instagram/ig_mentions_comment_metadoc.json", AccountEvent.class);
    assertThat(mention.field()).isEqualTo("mentions");
    assertThat(mention.accountId()).isEqualTo("17841405726653026");
    assertThat(only("instagram/ig_mentions_media_caption_metadoc.json", AccountEvent.class).valueJson())
        .contains("17918195224117851");
    assertThat(only("instagram/ig_story_insights_dashboard_test.json", AccountEvent.class).field())
        .isEqualTo("story_insights");
  }

  @Test
  void messengerMessagesPostbacksReferralsAndReactions() {
    Inbound text = only("messenger/fb_text.json", Inbound.class);
    assertThat(text.accountId()).isEqualTo(PAGE);
    assertThat(parse("messenger/fb_text.json").channel()).isEqualTo("messenger");
    assertThat(only("messenger/fb_text_with_nlp.json", Inbound.class).text()).isEqualTo("ok, call me tomorrow at 4pm");
    Inbound quickReply = only("messenger/fb_quick_reply.json", Inbound.class);
    assertThat(quickReply.type()).isEqualTo("quick_reply");
    assertThat(quickReply.text()).isEqualTo("Walnut");
    Inbound sticker = only("messenger/fb_sticker_thumbs_up.json", Inbound.class);
    assertThat(sticker.type()).isEqualTo("sticker");
    assertThat(sticker.text()).isEqualTo("\ud83d\udc4d");
    assertThat(only("messenger/fb_attachment_location.json", Inbound.class).text()).isEqualTo("1.2,-1.3");
    assertThat(only("messenger/fb_attachment_fallback.json", Inbound.class).text()).isEqualTo("Catalogue 2026");
    assertThat(only("messenger/fb_attachment_ig_reel.json", Inbound.class).type()).isEqualTo("ig_reel");
    assertThat(only("messenger/fb_attachments_two_images.json", Inbound.class).type()).isEqualTo("image");

    Inbound postback = only("messenger/fb_postback_referral_ad.json", Inbound.class);
    assertThat(postback.type()).isEqualTo("postback");
    assertThat(postback.text()).isEqualTo("Book a visit");
    assertThat(only("messenger/fb_postback.json", Inbound.class).text()).as("payload without a title")
        .isEqualTo("MY_PAYLOAD");
    Inbound referral = only("messenger/fb_referral_timestamp_seconds.json", Inbound.class);
    assertThat(referral.type()).isEqualTo("referral");
    assertThat(referral.text()).isEqualTo("referral id");
    assertThat(referral.sentAt()).isEqualTo(Instant.ofEpochSecond(1701599111L));
    Inbound optIn = only("messenger/fb_optin_ref.json", Inbound.class);
    assertThat(optIn.type()).isEqualTo("optin");
    assertThat(optIn.text()).isEqualTo("optin_ref");
    Inbound reaction = only("messenger/fb_message_reaction.json", Inbound.class);
    assertThat(reaction.type()).isEqualTo("reaction");
    assertThat(reaction.text()).isEqualTo("\ud83d\udc4d");

    assertThat(parse("messenger/fb_batch_two_entries.json").items()).extracting(MessagingWebhook.Item::accountId)
        .containsExactly("108000000000003", "108000000000099");
  }

  @Test
  void messengerReceiptsEchoesAndMarketingOptIns() {
    Delivery delivery = only("messenger/fb_delivery_2.json", Delivery.class);
    assertThat(delivery.mids()).containsExactly("mid.1458668856218:ed81099e15d3f4f233");
    assertThat(delivery.watermark()).isEqualTo(Instant.ofEpochMilli(1458668856253L));
    Read read = only("messenger/fb_read.json", Read.class);
    assertThat(read.watermark()).isEqualTo(Instant.ofEpochMilli(1458668856253L));
    assertThat(read.senderId()).isEqualTo("7100000000000003");

    Echo echo = only("messenger/fb_message_echo_with_app_id.json", Echo.class);
    assertThat(echo.recipientId()).isEqualTo("7100000000000001");
    assertThat(echo.text()).isEqualTo("Your order ships tomorrow");
    assertThat(echo.appId()).isEqualTo("263902037430900");
    assertThat(only("messenger/fb_echo_text.json", Echo.class).recipientId()).isEqualTo("7100000000000002");
    assertThat(only("messenger/fb_echo_no_text.json", Echo.class).text()).isNull();

    NotificationOptIn given = only("messenger/fb_optin_notification_messages.json", NotificationOptIn.class);
    assertThat(given.token()).isEqualTo("12345678901234567890");
    assertThat(given.frequency()).isEqualTo("DAILY");
    assertThat(given.expiresAt()).isEqualTo(Instant.ofEpochMilli(2145916800000L));
    assertThat(given.topic()).isEqualTo("Bird Facts");
    assertThat(given.granted()).isTrue();
    assertThat(only("messenger/fb_optin_notification_messages_stop.json", NotificationOptIn.class).granted()).isFalse();
  }

  @Test
  void accountMatterIsKeptOnTheAccountAndBrokenItemsWithAReason() {
    assertThat(only("messenger/fb_optin_user_ref.json", AccountEvent.class).field()).isEqualTo("messaging.optin");
    assertThat(only("messenger/fb_policy_enforcement.json", AccountEvent.class).field())
        .isEqualTo("messaging.policy_enforcement");
    assertThat(only("messenger/fb_pass_thread_control.json", AccountEvent.class).field())
        .isEqualTo("messaging.pass_thread_control");
    assertThat(only("messenger/fb_account_linking.json", AccountEvent.class).field())
        .isEqualTo("messaging.account_linking");
    assertThat(only("messenger/fb_checkout_update.json", AccountEvent.class).field())
        .isEqualTo("messaging.checkout_update");
    assertThat(only("messenger/fb_unknown_event_foo.json", AccountEvent.class).field()).isEqualTo("messaging.foo");

    assertThat(reasons("messenger/fb_empty_messaging_item.json")).containsExactly("empty messaging item");
    assertThat(reasons("messenger/fb_messaging_no_event.json")).containsExactly("messaging item carries no event");
    assertThat(reasons("instagram/ig_messaging_no_event.json")).containsExactly("messaging item carries no event");
    assertThat(reasons("messenger/fb_no_entries.json")).containsExactly("body carries no entries");
    assertThat(reasons("instagram/ig_comment_fragment_without_envelope.json")).containsExactly("body has no entry array");
    assertThat(reasons("instagram/ig_dashboard_test_event_changes_legacy.json")).isEmpty();
    assertThat(parse("instagram/ig_dashboard_test_event_changes_legacy.json").items())
        .singleElement().isInstanceOf(AccountEvent.class);
  }

  @Test
  void everyFixtureParsesWithoutLosingAnything() throws Exception {
    for (String folder : List.of("instagram", "messenger")) {
      try (Stream<Path> files = Files.list(Path.of(getClass().getResource("/" + folder).toURI()))) {
        for (Path file : files.toList()) {
          JsonNode root = MAPPER.readTree(file.toFile());
          for (JsonNode body : root.isArray() ? List.copyOf(toList(root)) : List.of(root)) {
            MessagingWebhook webhook = parser.parse(body);
            assertThat(webhook.items().size() + webhook.unparsed().size()).as(file.getFileName().toString())
                .isPositive();
          }
        }
      }
    }
  }

  private List<String> reasons(String fixture) {
    return parse(fixture).unparsed().stream().map(MessagingWebhook.Unparsed::reason).toList();
  }

  private static List<JsonNode> toList(JsonNode array) {
    List<JsonNode> list = new java.util.ArrayList<>();
    array.forEach(list::add);
    return list;
  }
}
