from indexer.documents.boilerplate import strip_boilerplate


def test_comment_form_and_everything_after_it_go():
    lines = ["Story text.", "", "Leave a Reply", "", "Fill in your details below or click an icon to log in:", "More"]
    assert strip_boilerplate(lines) == ["Story text.", ""]


def test_widget_contact_and_footer_lines_go_wherever_they_stand():
    lines = [
        "Story text.",
        "You are commenting using your Twitter account. Log Out / Change )",
        "Email: someone@example.org",
        "© 2017 Example Media",
        "Copyright 2015 The Daily Planet. All rights reserved.",
        "Copyright © Example Media",
        "Официальный интернет-ресурс Министерства. Свидетельство о регистрации СМИ Эл № ФС77-32622",
        "Second paragraph about an email sent to the ministry.",
    ]
    assert strip_boilerplate(lines) == ["Story text.", "Second paragraph about an email sent to the ministry."]


def test_prose_mentioning_the_same_words_stays():
    lines = [
        "Users can leave a reply on the forum, the minister said.",
        "Blog posts were cited.",
        "Copyright protection became necessary with the invention of the printing press.",
    ]
    assert strip_boilerplate(lines) == lines
