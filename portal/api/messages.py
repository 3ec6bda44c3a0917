"""DRF's messages that reach API clients, named here so that `make messages` puts them in the
portal's catalogues: DRF's own Vietnamese catalogue has 21 of them, and a citizen's app shows these
texts to its user. The portal's catalogues come first (LOCALE_PATHS), so these translations win."""

from django.utils.translation import gettext_noop as _

MESSAGES = [
    # rest_framework.exceptions
    _("A server error occurred."),
    _("Invalid input."),
    _("Malformed request."),
    _("Incorrect authentication credentials."),
    _("Authentication credentials were not provided."),
    _("You do not have permission to perform this action."),
    _("Not found."),
    _('Method "{method}" not allowed.'),
    _("Could not satisfy the request Accept header."),
    _('Unsupported media type "{media_type}" in request.'),
    _("Request was throttled."),
    _("Expected available in {wait} second."),
    _("Expected available in {wait} seconds."),
    # rest_framework.authentication
    _("CSRF Failed: %s"),
    # rest_framework.fields
    _("This field is required."),
    _("This field may not be null."),
    _("This field may not be blank."),
    _("Must be a valid boolean."),
    _("Not a valid string."),
    _("Ensure this field has no more than {max_length} characters."),
    _("Ensure this field has at least {min_length} characters."),
    _("Enter a valid email address."),
    _("This value does not match the required pattern."),
    _("Must be a valid UUID."),
    _("A valid integer is required."),
    _("Ensure this value is less than or equal to {max_value}."),
    _("Ensure this value is greater than or equal to {min_value}."),
    _("String value too large."),
    _("A valid number is required."),
    _("Ensure that there are no more than {max_digits} digits in total."),
    _("Ensure that there are no more than {max_decimal_places} decimal places."),
    _("Datetime has wrong format. Use one of these formats instead: {format}."),
    _("Expected a datetime but got a date."),
    _("Date has wrong format. Use one of these formats instead: {format}."),
    _("Expected a date but got a datetime."),
    _('"{input}" is not a valid choice.'),
    _('Expected a list of items but got type "{input_type}".'),
    _("This selection may not be empty."),
    _("No file was submitted. Check the encoding type on the form."),
    _("No filename could be determined."),
    _("The submitted file is empty."),
    _("Ensure this filename has at most {max_length} characters (it has {length})."),
    _("This list may not be empty."),
    _('Expected a dictionary of items but got type "{input_type}".'),
    _("Value must be valid JSON."),
    # rest_framework.serializers
    _("Invalid data. Expected a dictionary, but got {datatype}."),
    _('Invalid pk "{pk_value}" - object does not exist.'),
]
